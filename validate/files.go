package validate

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"runtime"
	"sync"

	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
)

// Input is one manifest to validate: a path named on the command line,
// a file found by a directory walk, or "-" for Stdin (manifest.Expand).
type Input = manifest.Input

// ReadError is a path that could not be read: not a finding about a
// manifest but a problem with the input (exit code 2). Its message is
// "read PATH: reason".
type ReadError struct {
	Path string
	Err  error
}

func (e *ReadError) Error() string { return "read " + e.Path + ": " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

func readError(path string, err error) *ReadError {
	var se *source.Error
	if errors.As(err, &se) {
		err = se.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &ReadError{Path: path, Err: err}
}

// Files validates the inputs in parallel (Options.Jobs at a time) and calls
// emit with each result in input order, as soon as it and all before it are
// done, so that memory holds only the results still waiting for an earlier
// one. stdin is read for the input "-". An input that cannot be read is
// emitted as a Result with Err set (a *ReadError), and the run goes on; a
// walked file that is not an App Manifest is emitted with Skipped set.
// An error from emit, or ctx cancellation, stops the run.
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
				in := &inputs[i]
				if in.Err != nil {
					s.res = Result{Path: in.Path, Err: readError(in.Path, in.Err)}
					mu.Lock()
					pending[i] = s
					cond.Broadcast()
					mu.Unlock()
					continue
				}
				buf := getReadBuffer()
				src, err := source.Read(ctx, in.Path, source.Options{Stdin: stdin, Limit: int64(maxSize), Buf: *buf})
				if err != nil && !errors.Is(err, source.ErrTooLarge) {
					s.res = Result{Path: in.Path, Err: readError(in.Path, err)}
				} else {
					// Too large: the parser reports the size (MC006).
					s.res = validateBytes(in.Path, src, opts, in.Walked)
				}
				// Nothing in a Result refers to the source bytes unless it
				// keeps the Document: the buffer can serve the next file.
				if s.res.Document == nil && src != nil {
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
