// Command execlist runs a command with arguments read from a file, one per
// line, by replacing itself with it (execve), so that a benchmark can hand
// 11,000 paths to a validator without going through a shell and without
// hitting the kernel's limit on the length of one argument (hyperfine takes
// each command as a single string).
//
// Usage:
//
//	execlist [-each FLAG] LISTFILE COMMAND [ARG...]
//
// The lines of LISTFILE are appended to the arguments; with -each, each line
// is preceded by FLAG (execlist -each -d files.txt ajv validate ... gives
// ajv validate ... -d f1 -d f2 ...).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	each := flag.String("each", "", "flag to put before each line")
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: execlist [-each FLAG] LISTFILE COMMAND [ARG...]")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "execlist:", err)
		os.Exit(2)
	}
	args := append([]string(nil), flag.Args()[1:]...)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		if *each != "" {
			args = append(args, *each)
		}
		args = append(args, sc.Text())
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "execlist:", err)
		os.Exit(2)
	}
	f.Close()
	path, err := exec.LookPath(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "execlist:", err)
		os.Exit(2)
	}
	err = syscall.Exec(path, args, os.Environ())
	fmt.Fprintln(os.Stderr, "execlist:", err)
	os.Exit(2)
}
