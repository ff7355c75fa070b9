package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/manifestctl/manifestctl/internal/source"
)

// MaxFileSize is the largest source file read; bigger files (generated
// bundles, data) are skipped and listed.
const MaxFileSize = 4 << 20

// Options tune Scan.
type Options struct {
	// Table resolves calls; nil means DefaultTable.
	Table *Table
	// Workers read and tokenize files in parallel; 0 means GOMAXPROCS.
	Workers int
}

// Inventory is what Scan found: the files read and the calls in them.
type Inventory struct {
	Sources []string // as given
	Files   int      // source files read
	Calls   []Call   // in file order, then by position
	// Skipped lists files deliberately not read (too big).
	Skipped []Skipped
	// Unreadable lists paths that could not be read: a SRC that does not
	// exist, a file or folder that cannot be opened or read. Everything
	// else is still scanned (DESIGN §4 "one bad path does not hide the
	// others"); the CLI exits 2 when this is not empty.
	Unreadable []Skipped
}

// Skipped is a file Scan did not read.
type Skipped struct {
	Path   string
	Reason string
}

// PathError is a SRC that cannot be scanned at all: standard input, or a
// named file that is not source code of a supported language. A SRC that
// does not exist or cannot be read is not a PathError: it is listed in
// Inventory.Unreadable and the other sources are still scanned.
type PathError struct {
	Path   string
	Reason string
}

func (e *PathError) Error() string { return e.Path + ": " + e.Reason }

// Scan walks the sources (folders or single files) and finds the calls in
// every source file: JavaScript/TypeScript, Ruby, Python, Go, C#, Java and
// PHP, by extension. Folders are walked like every directory walk
// (internal/source: dot-folders, node_modules, vendor, bower_components
// skipped); below a walked folder, test code and fixtures (IsTestPath) are
// skipped too. A named file that is not source code, or "-", is a
// *PathError; paths that cannot be read (a SRC that does not exist
// included) are listed in Inventory.Unreadable and the rest is scanned.
func Scan(ctx context.Context, sources []string, opts *Options) (*Inventory, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Table == nil {
		t, err := DefaultTable()
		if err != nil {
			return nil, err
		}
		o.Table = t
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	inv := &Inventory{Sources: append([]string(nil), sources...)}
	var files []string
	for _, src := range sources {
		for _, e := range source.Walk([]string{src}, func(name string) bool { return LangOf(name) != LangNone }) {
			switch {
			case e.Err != nil:
				inv.Unreadable = append(inv.Unreadable, Skipped{Path: e.Path, Reason: errReason(e.Err)})
			case e.Named && e.Path == "-":
				return nil, &PathError{Path: "-", Reason: "standard input cannot be scanned: give a file or folder"}
			case e.Named && LangOf(e.Path) == LangNone:
				return nil, &PathError{Path: e.Path, Reason: "not a source file of a supported language (.js, .ts, .rb, .py, .go, .cs, .java, .php)"}
			case !e.Named && IsTestPath(relBelow(src, e.Path)):
			default:
				files = append(files, e.Path)
			}
		}
	}
	type result struct {
		calls      []Call
		skip       string
		unreadable bool
	}
	results := make([]result, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i].calls, results[i].skip, results[i].unreadable = scanFile(files[i], o.Table)
			}
		}()
	}
	var err error
feed:
	for i := range files {
		if err = ctx.Err(); err != nil {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for i, r := range results {
		if r.unreadable {
			inv.Unreadable = append(inv.Unreadable, Skipped{Path: files[i], Reason: r.skip})
			continue
		}
		if r.skip != "" {
			inv.Skipped = append(inv.Skipped, Skipped{Path: files[i], Reason: r.skip})
			continue
		}
		inv.Files++
		inv.Calls = append(inv.Calls, r.calls...)
	}
	return inv, nil
}

func errReason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

// scanFile reads and scans one file. skip says why it was not scanned;
// unreadable is true when that is because it could not be read (not
// because it is too big).
func scanFile(path string, t *Table) (calls []Call, skip string, unreadable bool) {
	bp := readPool.Get().(*[]byte)
	src, skip, unreadable := readSource(path, *bp)
	lang := LangOf(path)
	if skip != "" || !mayCall(lang, src) {
		// Nothing points into the buffer: the next file may reuse it.
		*bp = src[:0]
		readPool.Put(bp)
		return nil, skip, unreadable
	}
	// The tokenizer reads src as a string without copying it. The buffer
	// is then never written again: it does not go back to the pool
	// (findCalls also keeps no string pointing into it).
	calls = findCalls(lang, unsafe.String(unsafe.SliceData(src), len(src)), t)
	for i := range calls {
		calls[i].Path = path
	}
	return calls, "", false
}

// readPool keeps the read buffers of files that were not tokenized.
var readPool = sync.Pool{New: func() any { return new([]byte) }}

// readSource reads a file into buf (grown as needed). skip says why it
// was not read; unreadable is true when that is because it could not be
// read (not because it is too big).
func readSource(path string, buf []byte) (src []byte, skip string, unreadable bool) {
	f, err := os.Open(path)
	if err != nil {
		return buf, errReason(err), true
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return buf, errReason(err), true
	}
	if info.Size() > MaxFileSize {
		return buf, fmt.Sprintf("larger than %d MiB", MaxFileSize>>20), false
	}
	// Read what Stat announced, and one byte more to see a file that grew.
	src = slices.Grow(buf[:0], int(info.Size())+1)[:info.Size()+1]
	n, err := io.ReadFull(f, src)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		src = src[:n]
	case err != nil:
		return src, errReason(err), true
	default:
		rest, err := io.ReadAll(io.LimitReader(f, MaxFileSize))
		if err != nil {
			return src, errReason(err), true
		}
		src = append(src, rest...)
	}
	if len(src) > MaxFileSize {
		return src, fmt.Sprintf("larger than %d MiB", MaxFileSize>>20), false
	}
	return src, "", false
}

// relBelow returns path relative to the walked root src.
func relBelow(src, path string) string {
	rel, err := filepath.Rel(src, path)
	if err != nil {
		return path
	}
	return rel
}

func testDir(name string) bool {
	switch strings.ToLower(name) {
	case "test", "tests", "spec", "specs", "__tests__", "__mocks__", "fixtures", "__fixtures__", "testdata", "e2e", "cypress", "mocks":
		return true
	}
	return false
}

// IsTestPath reports whether a path below a walked folder is test code or
// a test fixture: a folder named test, tests, spec, specs, __tests__,
// __mocks__, mocks, fixtures, __fixtures__, testdata, e2e or cypress on
// the way, or a test file name (*_test.go, *.test.ts, *.spec.js,
// test_*.py, *_test.py, conftest.py, *_spec.rb, *_test.rb, *Test.java,
// *Tests.cs, *Test.php ...).
func IsTestPath(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, p := range parts[:len(parts)-1] {
		if testDir(p) {
			return true
		}
	}
	name := parts[len(parts)-1]
	base := strings.TrimSuffix(name, filepath.Ext(name))
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, "_test"), strings.HasSuffix(lower, ".test"), strings.HasSuffix(lower, ".spec"),
		strings.HasSuffix(lower, "_spec"), strings.HasPrefix(lower, "test_"), lower == "conftest",
		strings.HasSuffix(base, "Test"), strings.HasSuffix(base, "Tests"), strings.HasSuffix(base, "Spec"):
		return true
	}
	return false
}
