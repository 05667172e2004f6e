// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdlib.h>
#include <nfd/nfd.h>
*/
import "C"

import (
	"runtime"
)

// Report is the result of (*Spec).Evaluate: compatibility sets, their rules
// and each rule's rows with the node's values.  Immutable.
type Report struct {
	r *C.struct_nfd_report
}

// ReportSet is one evaluated compatibility set.
type ReportSet struct {
	Tag         string
	Description string
	Weight      int
	SpecIndex   int // the set's index in the spec, before tag filtering
	Compatible  bool
	Rules       []ReportRule
}

// ReportRule is one rule of a set.
type ReportRule struct {
	Name  string
	Match bool
	Rows  []ReportRow // matchFeatures rows, then those of each matchAny element
}

// ReportRow is one expression or matchName of a rule.
type ReportRow struct {
	Feature      string   // as written in the rule
	Name         string   // the element name, "" for a matchName row
	Op           string   // "In", "Exists", ...
	Type         string   // "version" or ""
	Values       []string // the expression's values
	Expression   string   // NFD's string form: {op: "In", value: ["a"]}
	MatchName    bool     // a matchName row (else matchExpression)
	AnyIndex     int      // -1 for matchFeatures, i for matchAny[i]
	Match        bool     // NFD reports the row OK
	NodeValue    string   // what the node has, when HasNodeValue
	HasNodeValue bool     // false when the node has no such element or feature
}

// ReportFlags are output options of (*Report).Text.
type ReportFlags uint

// Report output options.
const (
	ReportColor   ReportFlags = C.NFD_REPORT_COLOR    // ANSI colours as NFD prints them
	ReportNFDOnly ReportFlags = C.NFD_REPORT_NFD_ONLY // exactly NFD's text, no explanations
)

func wrapReport(p *C.struct_nfd_report) *Report {
	r := &Report{r: p}
	runtime.SetFinalizer(r, (*Report).Close)
	return r
}

// Close drops the C reference; calling it twice is harmless.
func (r *Report) Close() {
	if r.r != nil {
		C.nfd_report_unref(r.r)
		r.r = nil
	}
	runtime.SetFinalizer(r, nil)
}

func (r *Report) ptr() *C.struct_nfd_report {
	if r == nil || r.r == nil {
		panic("nfd: use of a closed or nil Report")
	}
	return r.r
}

// Compatible reports whether at least one evaluated set is compatible.
func (r *Report) Compatible() bool {
	defer runtime.KeepAlive(r)
	return C.nfd_report_is_compatible(r.ptr()) > 0
}

// BestSet returns the index (into Sets) of the compatible set with the
// highest weight, or -1 when none is compatible.
func (r *Report) BestSet() int {
	defer runtime.KeepAlive(r)
	i := int(C.nfd_report_best_set(r.ptr()))
	if i < 0 {
		return -1
	}
	return i
}

// Sets returns a copy of the evaluated sets, rules and rows.
func (r *Report) Sets() []ReportSet {
	defer runtime.KeepAlive(r)
	p := r.ptr()
	n := int(C.nfd_report_count_sets(p))
	sets := make([]ReportSet, 0, n)
	for i := 0; i < n; i++ {
		s := C.nfd_report_get_set(p, C.size_t(i))
		set := ReportSet{
			Tag:         C.GoString(C.nfd_report_set_get_tag(s)),
			Description: C.GoString(C.nfd_report_set_get_description(s)),
			Weight:      int(C.nfd_report_set_get_weight(s)),
			SpecIndex:   int(C.nfd_report_set_get_spec_index(s)),
			Compatible:  C.nfd_report_set_is_compatible(s) > 0,
		}
		nr := int(C.nfd_report_set_count_rules(s))
		for j := 0; j < nr; j++ {
			rule := C.nfd_report_set_get_rule(s, C.size_t(j))
			set.Rules = append(set.Rules, copyRule(rule))
		}
		sets = append(sets, set)
	}
	return sets
}

func copyRule(rule *C.struct_nfd_report_rule) ReportRule {
	out := ReportRule{
		Name:  C.GoString(C.nfd_report_rule_get_name(rule)),
		Match: C.nfd_report_rule_is_match(rule) > 0,
	}
	n := int(C.nfd_report_rule_count_rows(rule))
	for k := 0; k < n; k++ {
		row := C.nfd_report_rule_get_row(rule, C.size_t(k))
		rr := ReportRow{
			Feature:    C.GoString(C.nfd_report_row_get_feature(row)),
			Name:       C.GoString(C.nfd_report_row_get_name(row)),
			Op:         C.GoString(C.nfd_report_row_get_op(row)),
			Type:       C.GoString(C.nfd_report_row_get_type(row)),
			Expression: C.GoString(C.nfd_report_row_get_expression(row)),
			MatchName:  C.nfd_report_row_is_match_name(row) > 0,
			AnyIndex:   int(C.nfd_report_row_get_any_index(row)),
			Match:      C.nfd_report_row_is_match(row) > 0,
		}
		nv := int(C.nfd_report_row_count_values(row))
		rr.Values = make([]string, 0, nv)
		for v := 0; v < nv; v++ {
			rr.Values = append(rr.Values, C.GoString(C.nfd_report_row_get_value(row, C.size_t(v))))
		}
		if p := C.nfd_report_row_get_node_value(row); p != nil {
			rr.NodeValue, rr.HasNodeValue = C.GoString(p), true
		}
		out.Rows = append(out.Rows, rr)
	}
	return out
}

func (r *Report) toString(format C.enum_nfd_report_format, flags ReportFlags) ([]byte, error) {
	defer runtime.KeepAlive(r)
	var out *C.char
	n := C.nfd_report_to_string(r.ptr(), format, C.uint(flags), &out)
	if err := check(n, nil); err != nil {
		return nil, err
	}
	return []byte(goStringFree(out, n)), nil
}

// JSON returns what `nfd compat validate-node --output-json` prints.
func (r *Report) JSON() ([]byte, error) {
	return r.toString(C.NFD_REPORT_JSON, 0)
}

// MarshalJSON implements json.Marshaler (the same document as JSON).
func (r *Report) MarshalJSON() ([]byte, error) { return r.JSON() }

// Text returns NFD's tables plus, for failing rows, the node's values and a
// verdict line (ReportNFDOnly: exactly NFD's output).
func (r *Report) Text(flags ReportFlags) (string, error) {
	b, err := r.toString(C.NFD_REPORT_TEXT, flags)
	return string(b), err
}
