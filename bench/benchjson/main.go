// Command benchjson turns `go test -bench` output into the hyperfine
// --export-json shape that bench/resultsmd reads, so that a Go benchmark
// gets a table and targets in bench/RESULTS.md like the command-line cases.
//
// Usage:
//
//	go test -run '^$' -bench BenchmarkAudit -benchtime 1x -count 3 ./cmd/manifestctl |
//		benchjson -prefix BenchmarkAudit/ -o results/audit.json
//
// Each sub-benchmark becomes a command named after it (the prefix and the
// -GOMAXPROCS suffix removed), with one time per -count run (ns/op, in
// seconds). A "limit-s/op" metric becomes one more command, "NAME (limit
// allows)", so that a target can compare the two. On standard output it
// prints one line per benchmark with its custom metrics' medians
// ("NAME: requests/op 508, floor/op 508").
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

type result struct {
	Command   string    `json:"command"`
	Mean      float64   `json:"mean"`
	Stddev    float64   `json:"stddev"`
	Median    float64   `json:"median"`
	Min       float64   `json:"min"`
	Max       float64   `json:"max"`
	Times     []float64 `json:"times"`
	ExitCodes []int     `json:"exit_codes"`
}

func main() {
	prefix := flag.String("prefix", "", "benchmark name prefix to remove")
	out := flag.String("o", "", "output file (hyperfine JSON)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchjson: ")

	times := map[string][]float64{}
	metrics := map[string]map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], *prefix)
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		if _, ok := times[name]; !ok {
			order = append(order, name)
			metrics[name] = map[string][]float64{}
		}
		// f[1] is the iteration count; then value/unit pairs.
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			if f[i+1] == "ns/op" {
				times[name] = append(times[name], v/1e9)
			} else {
				metrics[name][f[i+1]] = append(metrics[name][f[i+1]], v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if len(order) == 0 {
		log.Fatal("no benchmark results on standard input")
	}
	var exp struct {
		Results []result `json:"results"`
	}
	for _, name := range order {
		exp.Results = append(exp.Results, summarize(name, times[name]))
		if lim := metrics[name]["limit-s/op"]; len(lim) > 0 {
			exp.Results = append(exp.Results, summarize(name+" (limit allows)", lim))
		}
		var parts []string
		keys := make([]string, 0, len(metrics[name]))
		for k := range metrics[name] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %g", k, median(metrics[name][k])))
		}
		fmt.Printf("%s: %s\n", name, strings.Join(parts, ", "))
	}
	b, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if *out == "" {
		os.Stdout.Write(append(b, '\n'))
		return
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

func summarize(name string, ts []float64) result {
	r := result{Command: name, Times: ts, Median: median(ts)}
	r.Min, r.Max = ts[0], ts[0]
	var sum float64
	for _, t := range ts {
		sum += t
		r.Min, r.Max = min(r.Min, t), max(r.Max, t)
		r.ExitCodes = append(r.ExitCodes, 0)
	}
	r.Mean = sum / float64(len(ts))
	var sq float64
	for _, t := range ts {
		sq += (t - r.Mean) * (t - r.Mean)
	}
	if len(ts) > 1 {
		sq /= float64(len(ts) - 1)
	}
	r.Stddev = math.Sqrt(sq)
	return r
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
