package validate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Input is one manifest to validate: a file path, or "-" for Stdin.
type Input struct {
	Path string
}

// ErrNoManifests is returned by Expand when a directory holds no *.json
// file.
var ErrNoManifests = errors.New("no *.json manifests found")

// Expand turns command-line arguments into inputs: "-" stays, a file stays,
// a directory is walked recursively for *.json files (skipping folders whose
// names start with a dot), in lexical order. Paths are kept as given so
// reports show them as typed. A path that does not exist is an error.
func Expand(args []string) ([]Input, error) {
	var out []Input
	for _, a := range args {
		if a == "-" {
			out = append(out, Input{Path: "-"})
			continue
		}
		info, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", a, unwrapPathError(err))
		}
		if !info.IsDir() {
			out = append(out, Input{Path: a})
			continue
		}
		n := len(out)
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != a && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(d.Name(), ".json") && !strings.HasPrefix(d.Name(), ".") && d.Type().IsRegular() {
				out = append(out, Input{Path: p})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", a, err)
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: %w", a, ErrNoManifests)
		}
	}
	return out, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadError is a file that could not be read: not a finding about a
// manifest but a problem with the input (exit code 2).
type ReadError struct {
	Path string
	Err  error
}

func (e *ReadError) Error() string { return "read " + e.Path + ": " + unwrapPathError(e.Err).Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// Files validates the inputs in parallel (Options.Jobs at a time) and calls
// emit with each result in input order, as soon as it and all before it are
// done, so that memory holds only the results still waiting for an earlier
// one. stdin is read for the input "-". The first read error stops the run
// and is returned; ctx cancellation stops it too.
func Files(ctx context.Context, inputs []Input, stdin io.Reader, opts *Options, emit func(Result) error) error {
	if opts == nil {
		opts = &Options{}
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, max(len(inputs), 1))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type slot struct {
		res Result
		err error
	}
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		pending = make(map[int]slot)
		next    int // next index to emit
	)
	// A worker may run at most window results ahead of the emitter, which
	// bounds memory whatever the order of completion.
	window := jobs * 4
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		cond.Broadcast()
		mu.Unlock()
	})
	defer stop()
	indexes := make(chan int)
	go func() {
		defer close(indexes)
		for i := range inputs {
			mu.Lock()
			for i-next >= window && ctx.Err() == nil {
				cond.Wait()
			}
			mu.Unlock()
			select {
			case indexes <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	maxSize := opts.Parse.MaxSize
	if maxSize <= 0 {
		maxSize = 10 << 20
	}
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range indexes {
				var s slot
				buf := getReadBuffer()
				src, err := readInput(inputs[i].Path, stdin, maxSize, *buf)
				if err != nil {
					s.err = &ReadError{Path: inputs[i].Path, Err: err}
				} else {
					s.res = Bytes(inputs[i].Path, src, opts)
				}
				// Nothing in a Result refers to the source bytes unless it
				// keeps the Document: the buffer can serve the next file.
				if s.res.Document == nil {
					*buf = src[:0]
					putReadBuffer(buf)
				}
				mu.Lock()
				pending[i] = s
				cond.Broadcast()
				mu.Unlock()
			}
		}()
	}
	go func() {
		wg.Wait()
		mu.Lock()
		cond.Broadcast()
		mu.Unlock()
	}()

	var firstErr error
	for next < len(inputs) {
		mu.Lock()
		s, ok := pending[next]
		for !ok && ctx.Err() == nil {
			cond.Wait()
			s, ok = pending[next]
		}
		if !ok {
			mu.Unlock()
			break
		}
		delete(pending, next)
		next++
		cond.Broadcast()
		mu.Unlock()
		if s.err != nil {
			firstErr = s.err
			cancel()
			break
		}
		if err := emit(s.res); err != nil {
			firstErr = err
			cancel()
			break
		}
	}
	mu.Lock()
	cond.Broadcast()
	mu.Unlock()
	// Drain so workers exit.
	go func() {
		for range indexes {
		}
	}()
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// readBuffers recycles the buffers files are read into (*[]byte).
var readBuffers sync.Pool

// maxPooledBuffer is the largest buffer kept for reuse; a rare large file
// does not pin its buffer.
const maxPooledBuffer = 1 << 20

func getReadBuffer() *[]byte {
	if b, ok := readBuffers.Get().(*[]byte); ok {
		return b
	}
	return new([]byte)
}

func putReadBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		readBuffers.Put(b)
	}
}

// readInput reads at most limit+1 bytes so that an oversized file is
// reported by the parser's size limit without reading it all. It reads
// into buf when buf is large enough.
func readInput(path string, stdin io.Reader, limit int, buf []byte) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() <= int64(limit) {
			size := int(info.Size())
			if cap(buf) < size {
				buf = make([]byte, size)
			}
			buf = buf[:size]
			n, err := io.ReadFull(f, buf)
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, err
			}
			return buf[:n], nil
		}
		r = f
	}
	return io.ReadAll(io.LimitReader(r, int64(limit)+1))
}
