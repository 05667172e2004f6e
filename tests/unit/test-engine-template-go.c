/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Go's text/template and fmt as templates see them: outputs and errors
 * taken from the cases of Go's text/template exec_test.go, parse_test.go
 * and fmt's fmt_test.go (facts, restated for this data).
 */
#include "template-test.h"

/* keys in strcmp order */
static const char data[] =
	"{\"B\": true, \"D\": {\"a\": {\"b\": [\"x\"]}}, \"Elem\": {\"Name\": \"n\", \"Value\": "
	"\"v\", \"__elem\": 1}, \"Empty\": \"\", \"EmptyList\": [], \"F\": 1.5, \"I\": 17, "
	"\"MSI\": {\"one\": 1, \"three\": 3, \"two\": 2}, \"Nil\": null, \"S\": \"xyz\", "
	"\"SI\": [3, 4, 5], \"SS\": [\"a\", \"b\"], \"Zero\": 0}";

static const struct tcase syntax_cases[] = {
	{"hello", "hello"},
	{"{{.S}}", "xyz"},
	{"{{.}}",
	 "map[B:true D:map[a:map[b:[x]]] Elem:map[Name:n Value:v] Empty: EmptyList:[] F:1.5 "
	 "I:17 MSI:map[one:1 three:3 two:2] Nil:<nil> S:xyz SI:[3 4 5] SS:[a b] Zero:0]"},
	{"{{.D.a.b}}", "[x]"},
	{"{{$.S}}", "xyz"},
	{"{{.Nil}}", "<no value>"},
	/* literals: ints, floats, chars, strings */
	{"{{1}}", "1"},
	{"{{-1}}", "-1"},
	{"{{+7}}", "7"},
	{"{{1.5}}", "1.5"},
	{"{{ 1.5 }}", "1.5"},
	{"{{1e3}}", "1000"},
	{"{{1e21}}", "1e+21"},
	{"{{0.000001}}", "1e-06"},
	{"{{0x10}}", "16"},
	{"{{0o17}}", "15"},
	{"{{017}}", "15"},
	{"{{0b101}}", "5"},
	{"{{1_000}}", "1000"},
	{"{{'a'}}", "97"},
	{"{{'\\n'}}", "10"},
	{"{{\"a\\tb\"}}", "a\tb"},
	{"{{\"\\u00e9\\x41\"}}", "\xc3\xa9"
				 "A"},
	{"{{`raw\\n`}}", "raw\\n"},
	{"{{true}} {{false}}", "true false"},
	{"{{printf \"%T\" 1.0}}", "float64"},
	{"{{printf \"%T\" 1}}", "int"},
	/* trim markers and comments */
	{"a {{- 1 -}} b", "a1b"},
	{"a  {{- 3}}", "a3"},
	{"{{3 -}}\n x", "3x"},
	{"{{- -3 -}}", "-3"},
	{"a {{/* c */}} b", "a  b"},
	{"a {{- /* c */ -}} b", "ab"},
	{"{{/* multi\nline */}}x", "x"},
	/* pipelines and parentheses */
	{"{{\"a\" | printf \"%s-%s\" \"b\"}}", "b-a"},
	{"{{1 | printf \"%d\"}}", "1"},
	{"{{(printf \"%d\" 1) | len}}", "1"},
	{"{{(index .MSI \"two\")}}", "2"},
	{"{{(.D.a).b}}", "[x]"},
	/* variables and scope */
	{"{{$x := 1}}{{$x}}", "1"},
	{"{{$x := 1}}{{$x = 2}}{{$x}}", "2"},
	{"{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2"},
	{"{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", "21"},
	{"{{$x := 0}}{{range .SI}}{{$x = .}}{{end}}{{$x}}", "5"},
	{"{{with $x := .S}}{{$x}}{{.}}{{end}}", "xyzxyz"},
	{"{{if $x := .I}}{{$x}}{{end}}", "17"},
	{"{{range .SI}}{{$.S}}{{end}}", "xyzxyzxyz"},
	/* if / with / else */
	{"{{if 1}}a{{else}}b{{end}}", "a"},
	{"{{if 0}}a{{else}}b{{end}}", "b"},
	{"{{if 0}}a{{else if 1}}b{{else}}c{{end}}", "b"},
	{"{{if 0}}a{{else if 0}}b{{else}}c{{end}}", "c"},
	{"{{if .Empty}}a{{else}}b{{end}}", "b"},
	{"{{if .EmptyList}}a{{else}}b{{end}}", "b"},
	{"{{if .Nil}}a{{else}}b{{end}}", "b"},
	{"{{if .F}}a{{end}}", "a"},
	{"{{with .S}}{{.}}{{end}}", "xyz"},
	{"{{with .Empty}}x{{else}}y{{end}}", "y"},
	{"{{with .Empty}}a{{else with .S}}{{.}}{{end}}", "xyz"},
	/* range */
	{"{{range .SI}}{{.}}{{end}}", "345"},
	{"{{range $i, $e := .SI}}{{$i}}:{{$e}} {{end}}", "0:3 1:4 2:5 "},
	{"{{range .MSI}}{{.}}{{end}}", "132"},
	{"{{range $k, $v := .MSI}}{{$k}}={{$v}};{{end}}", "one=1;three=3;two=2;"},
	{"{{range .EmptyList}}x{{else}}empty{{end}}", "empty"},
	{"{{range .Nil}}x{{else}}nil{{end}}", "nil"},
	{"{{range 3}}{{.}}{{end}}", "012"},
	{"{{range $i := 3}}{{$i}}{{end}}", "012"},
	{"{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "3"},
	{"{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", "35"},
	{"{{range .SI}}{{range .}}{{.}}{{end}}{{end}}", "012012301234"}, /* over ints */
	/* define, template, block */
	{"{{define \"T\"}}[{{.}}]{{end}}{{template \"T\" \"a\"}}{{template \"T\" 1}}", "[a][1]"},
	{"{{template \"T\" .S}}{{define \"T\"}}<{{.}}>{{end}}", "<xyz>"},
	{"{{block \"B\" .S}}<{{.}}>{{end}}", "<xyz>"},
	{"{{define \"T\"}}{{$}}{{end}}{{template \"T\" 5}}", "5"},
	{"{{define \"E\"}}{{end}}a{{template \"E\"}}b", "ab"},
	{"{{define \"T\"}}{{.}}{{end}}{{template \"T\"}}", "<no value>"},
	/* and, or, not */
	{"{{and 1 0}}", "0"},
	{"{{and 1 2}}", "2"},
	{"{{or 0 2}}", "2"},
	{"{{or 0 \"\"}}", ""},
	{"{{not true}} {{not 0}}", "false true"},
	{"{{and false .Missing}}", "false"},
	{"{{or true .Missing}}", "true"},
	{"{{1 | and 2}}", "1"},
	{"{{0 | or 0}}", "0"},
	/* comparisons: Go's basic kinds */
	{"{{eq 1 1}} {{eq 1 2}} {{eq 1 2 3 1}}", "true false true"},
	{"{{eq \"a\" \"a\"}} {{eq 1.5 1.5}} {{eq true true}}", "true true true"},
	{"{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt 2.5 1.5}} {{ge 1 2}}", "true true true true false"},
	{"{{lt \"a\" \"b\"}} {{gt \"b\" \"a\"}}", "true true"},
	{"{{eq .Nil .Nil}} {{eq .Nil 1}}", "true false"},
	{"{{eq (index \"a\" 0) 97}}", "true"},
	{"{{lt (index \"a\" 0) 98}}", "true"},
	{"{{eq (len .SI) 3}}", "true"},
	/* index, len, slice */
	{"{{index .SI 1}}", "4"},
	{"{{index .MSI \"two\"}}", "2"},
	{"{{index .MSI \"none\"}}", "<no value>"},
	{"{{index .Elem \"none\"}}|", "|"},
	{"{{index .D \"a\" \"b\" 0}}", "x"},
	{"{{index \"abc\" 1}}", "98"},
	{"{{index .SI}}", "[3 4 5]"},
	{"{{len .SI}} {{len \"abc\"}} {{len .MSI}} {{len .EmptyList}}", "3 3 3 0"},
	{"{{slice .SI 1 2}}", "[4]"},
	{"{{slice .SI 1}}", "[4 5]"},
	/* print, println, html, js, urlquery */
	{"{{print 1 2}}", "1 2"},
	{"{{print \"a\" 1}}", "a1"},
	{"{{print 1 \"a\" 2}}", "1a2"},
	{"{{print .Nil}}", "<nil>"},
	{"{{println 1 \"a\"}}", "1 a\n"},
	{"{{html \"<a href=\\\"x\\\">&'\"}}", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"},
	{"{{js \"it's <b>=\"}}", "it\\'s \\u003Cb\\u003E\\u003D"},
	{"{{urlquery \"a b&c/d\"}}", "a+b%26c%2Fd"},
	{"{{\"<x>\" | html}}", "&lt;x&gt;"},
};

static const struct tcase error_cases[] = {
	/* parse time */
	{"{{nosuch}}", "template: :1: function \"nosuch\" not defined", true},
	{"{{env \"HOME\"}}", "function \"env\" not defined", true},
	{"{{expandenv \"$HOME\"}}", "function \"expandenv\" not defined", true},
	{"{{getHostByName \"x\"}}", "function \"getHostByName\" not defined", true},
	{"{{if false}}{{nosuch}}{{end}}", "function \"nosuch\" not defined", true},
	{"{{}}", "missing value for command", true},
	{"{{if}}{{end}}", "missing value for command", true},
	{"{{end}}", "unexpected {{end}}", true},
	{"{{else}}", "unexpected {{else}}", true},
	{"{{range .SI}}", "unexpected EOF", true},
	{"{{if 1}}\n{{else}}{{else}}{{end}}", "template: :2: expected end; found {{else}}", true},
	{"{{break}}", "{{break}} outside {{range}}", true},
	{"{{continue}}", "{{continue}} outside {{range}}", true},
	{"{{\"a}}", "unterminated quoted string", true},
	{"{{'ab'}}", "malformed character constant", true},
	{"{{1a}}", "bad number syntax", true},
	{"{{1.2.3}}", "bad number syntax", true},
	{"{{99999999999999999999}}", "overflows int", true},
	{"{{.SI | 1}}", "non executable command in pipeline stage 2", true},
	{"{{(1}}", "unexpected", true},
	{"{{1)}}", "unexpected", true},
	{"{{$x}}", "undefined variable \"$x\"", true},
	{"{{if true}}{{$x := 1}}{{end}}{{$x}}", "undefined variable \"$x\"", true},
	{"{{range $i, $e := .SI}}{{end}}{{$i}}", "undefined variable \"$i\"", true},
	{"{{$x, $y := 1}}", "too many declarations", true},
	{"{{$x = 1}}", "undefined variable \"$x\"", true},
	{"{{define \"T\"}}a{{end}}{{define \"T\"}}b{{end}}", "multiple definition of template",
	 true},
	{"{{if 1}}{{define \"T\"}}{{end}}{{end}}", "unexpected <define>", true},
	{"{{/* c */ }}", "comment ends before closing delimiter", true},
	{"{{/* c", "unclosed comment", true},
	{"{{.S", "unclosed action", true},
	{"{{template .S}}", "in template clause", true},
	{"{{\"\\q\"}}", "invalid syntax", true},
	/* run time */
	{"{{.Missing}}", "template: :1:2: executing \"\": map has no entry for key \"Missing\"",
	 true},
	{"{{.S.X}}", "can't evaluate field X in type string", true},
	{"{{.Nil.X}}", "nil pointer evaluating interface {}.X", true},
	{"{{1 2}}", "can't give argument to non-function", true},
	{"{{nil}}", "nil is not a command", true},
	{"{{index .SI 10}}", "error calling index: index out of range: 10", true},
	{"{{index .SI \"a\"}}", "cannot index slice/array with type string", true},
	{"{{index .MSI 1}}", "value has type int; should be string", true},
	{"{{index .Nil 1}}", "index of untyped nil", true},
	{"{{index .MSI \"none\" \"x\"}}", "index of untyped nil", true},
	{"{{len 3}}", "len of type int", true},
	{"{{eq 1 1.0}}", "incompatible types for comparison", true},
	{"{{eq 1 \"1\"}}", "incompatible types for comparison", true},
	{"{{eq .SI .SI}}", "non-comparable type", true},
	{"{{lt true false}}", "invalid type for comparison", true},
	{"{{lt .SI 1}}", "invalid type for comparison", true},
	{"{{lt 1 \"a\"}}", "incompatible types for comparison", true},
	{"{{slice \"abc\" 1}}", "list should be type of slice or array but string", true},
	{"{{slice .SI 2 1}}", "slice bounds out of range", true},
	{"{{range .S}}{{end}}", "range can't iterate over xyz", true},
	{"{{range $i, $e := 3}}{{end}}", "can't use 3 to iterate over more than one variable",
	 true},
	{"{{template \"nope\"}}", "no such template \"nope\"", true},
	{"{{define \"R\"}}{{template \"R\" .}}{{end}}{{template \"R\" 1}}",
	 "exceeded maximum template depth", true},
	{"{{call .S}}", "non-function of type string", true},
	{"{{printf 1}}", "wrong type for value; expected string; got int", true},
	{"{{not}}", "wrong number of args for not: want 1 got 0", true},
};

/* fmt_test.go facts for the verbs, flags, widths and precisions templates use */
static const struct tcase printf_cases[] = {
	{"{{printf \"%02d\" 5}}", "05"},
	{"{{printf \"%02d\" 123}}", "123"},
	{"{{printf \"%5d|%-5d|\" 42 42}}", "   42|42   |"},
	{"{{printf \"%+d % d %+d\" 5 5 -5}}", "+5  5 -5"},
	{"{{printf \"%05d\" -42}}", "-0042"},
	{"{{printf \"%-05d|\" 3}}", "3    |"},
	{"{{printf \"%.3d %5.3d %.0d|\" 7 7 0}}", "007   007 |"},
	{"{{printf \"%x %X %#x %#X\" 255 255 255 255}}", "ff FF 0xff 0XFF"},
	{"{{printf \"%x\" -255}}", "-ff"},
	{"{{printf \"%08x\" 48879}}", "0000beef"},
	{"{{printf \"%o %#o %O %b %#b\" 8 8 8 5 5}}", "10 010 0o10 101 0b101"},
	{"{{printf \"%c%c\" 72 0x4E16}}", "H\xe4\xb8\x96"},
	{"{{printf \"%q\" 120}}", "'x'"},
	{"{{printf \"%U %#U\" 0x1F600 65}}", "U+1F600 U+0041 'A'"},
	{"{{printf \"%d\" 1.5}}", "%!d(float64=1.5)"},
	{"{{printf \"%d\" \"hi\"}}", "%!d(string=hi)"},
	{"{{printf \"%s\" 5}}", "%!s(int=5)"},
	{"{{printf \"%s\" .Nil}}", "%!s(<nil>)"},
	{"{{printf \"%v\" .Nil}}", "<nil>"},
	{"{{printf \"%d\"}}", "%!d(MISSING)"},
	{"{{printf \"%d\" 1 2}}", "1%!(EXTRA int=2)"},
	{"{{printf \"x\" \"a\" 2}}", "x%!(EXTRA string=a, int=2)"},
	{"{{printf \"%[2]d %[1]d\" 1 2}}", "2 1"},
	{"{{printf \"%[3]d\" 1 2}}", "%!d(BADINDEX)"},
	{"{{printf \"%*d|%-*d|\" 5 42 4 7}}", "   42|7   |"},
	{"{{printf \"%*d\" \"a\" 1}}", "%!(BADWIDTH)1"},
	{"{{printf \"%.*f\" 2 3.14159}}", "3.14"},
	{"{{printf \"%%\"}}", "%"},
	{"{{printf \"%z\" 1}}", "%!z(int=1)"},
	{"{{printf \"%!\"}}", "%!!(MISSING)"},
	{"{{printf \"%\"}}", "%!(NOVERB)"},
	{"{{printf \"%t %5t|\" true false}}", "true false|"},
	{"{{printf \"%v %v\" true 3}}", "true 3"},
	/* floats */
	{"{{printf \"%f\" 3.14159}}", "3.141590"},
	{"{{printf \"%.2f\" 3.14159}}", "3.14"},
	{"{{printf \"%8.3f|\" 3.14159}}", "   3.142|"},
	{"{{printf \"%-8.2f|\" 3.14159}}", "3.14    |"},
	{"{{printf \"%08.3f\" -3.14159}}", "-003.142"},
	{"{{printf \"%+.1f % .1f\" 2.0 2.0}}", "+2.0  2.0"},
	{"{{printf \"%.0f %.0f\" 2.5 3.5}}", "2 4"},
	{"{{printf \"%e\" 1234.5678}}", "1.234568e+03"},
	{"{{printf \"%.2E\" 0.000123}}", "1.23E-04"},
	{"{{printf \"%+.1e\" 12345.0}}", "+1.2e+04"},
	{"{{printf \"%g %g %g\" 1234.5678 0.00001 100000.0}}", "1234.5678 1e-05 100000"},
	{"{{printf \"%g %G\" 1e6 1e-7}}", "1e+06 1E-07"},
	{"{{printf \"%.3g %.3g %.10g\" 1234.0 1.0 1.5}}", "1.23e+03 1 1.5"},
	{"{{printf \"%#.3g\" 1.0}}", "1.00"},
	{"{{printf \"%v %v %v\" 1.5 1e21 123456789.0}}", "1.5 1e+21 1.23456789e+08"},
	{"{{printf \"%v\" 0.1}}", "0.1"},
	{"{{printf \"%6.2f|%-7.1e|\" 1.0 1.0}}", "  1.00|1.0e+00|"},
	{"{{printf \"%x\" 1.0}}", "0x1p+00"},
	{"{{printf \"%f\" 1}}", "%!f(int=1)"},
	{"{{printf \"%.1f\" (float64 \"2.25\")}}", "2.2"},
	/* strings */
	{"{{printf \"%5s|%-5s|\" \"ab\" \"ab\"}}", "   ab|ab   |"},
	{"{{printf \"%05s\" \"ab\"}}", "   ab"},
	{"{{printf \"%.3s\" \"abcdef\"}}", "abc"},
	{"{{printf \"%.2s|%4s\" \"\xc3\xa9t\xc3\xa9\" \"\xc3\xa9\"}}", "\xc3\xa9t|   \xc3\xa9"},
	{"{{printf \"%q\" \"a\\\"b\\n\"}}", "\"a\\\"b\\n\""},
	{"{{printf \"%#q\" \"ab\"}}", "`ab`"},
	{"{{printf \"%x % x %X\" \"hi\" \"hi\" \"hi\"}}", "6869 68 69 6869"},
	{"{{printf \"%# x\" \"hi\"}}", "0x68 0x69"},
	{"{{printf \"%v|%10v|\" \"s\" \"s\"}}", "s|         s|"},
	/* lists, maps, types */
	{"{{printf \"%v %d\" .SI .SI}}", "[3 4 5] [3 4 5]"},
	{"{{printf \"%q\" .SS}}", "[\"a\" \"b\"]"},
	{"{{printf \"%03d\" .SI}}", "[003 004 005]"},
	{"{{printf \"%v\" .MSI}}", "map[one:1 three:3 two:2]"},
	{"{{printf \"%T %T %T %T\" \"a\" 1 .SI .MSI}}",
	 "string int []interface {} map[string]interface {}"},
	{"{{printf \"%T\" .Elem}}", "map[string]string"},
	{"{{printf \"%#v %#v\" \"a\" .SS}}", "\"a\" []interface {}{\"a\", \"b\"}"},
	{"{{printf \"%#v\" 2.0}}", "2"},
	{"{{printf \"%s\" (printf \"%d-%s\" 3 \"x\")}}", "3-x"},
};

static void test_syntax(void **state)
{
	run_cases(syntax_cases, ARRAY_SIZE(syntax_cases), data);
}

static void test_errors(void **state)
{
	run_cases(error_cases, ARRAY_SIZE(error_cases), data);
}

static void test_printf(void **state)
{
	run_cases(printf_cases, ARRAY_SIZE(printf_cases), data);
}

/* the per-run step limit and the evaluation's budget (doc/templates.md) */
static void test_limits(void **state)
{
	static const char nested[] =
		"{{range 1000}}{{range 1000}}{{range 1000}}{{end}}{{end}}{{end}}";
	uint64_t budget = 5000;
	char *out, *err;

	/* empty bodies still count: every iteration is a step */
	assert_int_equal(run_template(nested, "{}", NULL, &out, &err), -EINVAL);
	assert_non_null(strstr(err, "more than 1048576 steps"));
	free(out);
	free(err);
	assert_int_equal(run_template(nested, "{}", &budget, &out, &err), -EINVAL);
	assert_non_null(strstr(err, "the evaluation's work budget is spent"));
	assert_int_equal(budget, 0);
	free(out);
	free(err);
	budget = 1000;
	assert_int_equal(run_template("{{range 10}}x{{end}}", "{}", &budget, &out, &err), 0);
	assert_string_equal(out, "xxxxxxxxxx");
	assert_true(budget < 1000 && budget > 900);
	free(out);
	free(err);
	/* output and value caps */
	assert_int_equal(
		run_template("{{range 2000}}{{repeat 1000 \"x\"}}{{end}}", "{}", NULL, &out, &err),
		-EINVAL);
	assert_non_null(strstr(err, "larger than 1048576 bytes"));
	free(out);
	free(err);
	/* values nested deeper than the walks go: no stack overflow */
	assert_int_equal(run_template("{{$x := list}}{{range 5000}}{{$x = list $x}}{{end}}"
				      "{{len (printf \"%v|%#v|%d\" $x $x $x)}} {{deepEqual $x $x}}",
				      "{}", NULL, &out, &err),
			 0);
	assert_string_equal(out, "20021 false");
	free(out);
	free(err);
	assert_int_equal(run_template("{{$x := list}}{{range 5000}}{{$x = list $x}}{{end}}"
				      "{{deepCopy $x}}",
				      "{}", NULL, &out, &err),
			 -EINVAL);
	assert_non_null(strstr(err, "nested more than 1000 deep"));
	free(out);
	free(err);
	assert_int_equal(run_template("{{repeat 2000000 \"x\"}}", "{}", NULL, &out, &err), -EINVAL);
	assert_non_null(strstr(err, "larger than 1048576 bytes"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
