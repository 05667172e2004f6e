// SPDX-License-Identifier: LGPL-2.1-or-later

// Command check-host tells whether this host (or a host root, or another
// node's exported features) satisfies an image compatibility spec:
//
//	check-host [-root DIR] [-features FILE] [-tags T1,T2] SPEC
//
// It prints every failing row with the node's value and the verdict, and
// exits 0 when compatible, 1 when not, 2 on error.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"libnfd.org/nfd"
)

func run() int {
	root := flag.String("root", "", "host root to discover (default /)")
	featuresFile := flag.String("features", "", "exported features (JSON) instead of discovery")
	tags := flag.String("tags", "", "only the sets with one of these tags (T1,T2)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: check-host [-root DIR] [-features FILE] [-tags T1,T2] SPEC")
		return 2
	}
	var spec *nfd.Spec
	var err error
	if ref := flag.Arg(0); strings.HasPrefix(ref, "oci:") || strings.HasPrefix(ref, "oci-layout:") {
		spec, err = nfd.FetchSpec(ref, nil)
	} else {
		spec, err = nfd.ParseSpecFile(ref)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-host:", err)
		return 2
	}
	defer spec.Close()
	var features *nfd.Features
	if *featuresFile != "" {
		features, err = nfd.ParseFeaturesFile(*featuresFile)
	} else {
		features, err = spec.Discover(*root) // only the sources the spec needs
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-host:", err)
		return 2
	}
	defer features.Close()
	var tagList []string
	if *tags != "" {
		tagList = strings.Split(*tags, ",")
	}
	report, err := spec.Evaluate(features, tagList...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-host:", err)
		return 2
	}
	defer report.Close()
	sets := report.Sets()
	for _, set := range sets {
		verdict := "incompatible"
		if set.Compatible {
			verdict = "compatible"
		}
		tag := ""
		if set.Tag != "" {
			tag = " tag " + set.Tag
		}
		fmt.Printf("set #%d%s: %s\n", set.SpecIndex+1, tag, verdict)
		for _, rule := range set.Rules {
			if rule.Match {
				continue
			}
			fmt.Printf("  rule %q failed\n", rule.Name)
			for _, row := range rule.Rows {
				if row.Match {
					continue
				}
				where := row.Feature
				if row.Name != "" {
					where += "." + row.Name
				}
				value := "nothing"
				if row.HasNodeValue {
					value = row.NodeValue
				}
				fmt.Printf("    %s %s: node has %s\n", where, row.Expression, value)
			}
		}
	}
	if !report.Compatible() {
		fmt.Println("incompatible")
		return 1
	}
	best := sets[report.BestSet()]
	fmt.Printf("compatible (best set #%d, weight %d)\n", best.SpecIndex+1, best.Weight)
	return 0
}

func main() { os.Exit(run()) }
