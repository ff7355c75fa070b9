package validate

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"runtime"
	"sync"

	"github.com/manifestctl/manifestctl/internal/seq"
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
	maxSize := opts.Parse.MaxSize
	if maxSize <= 0 {
		maxSize = 10 << 20
	}
	// A worker may run at most 4 × jobs results ahead of the emitter,
	// which bounds memory whatever the order of completion.
	return seq.Ordered(ctx, len(inputs), seq.Options{Jobs: jobs, Window: 4 * min(jobs, len(inputs))},
		func(ctx context.Context, i int) (Result, error) {
			in := &inputs[i]
			if in.Err != nil {
				return Result{Path: in.Path, Err: readError(in.Path, in.Err)}, nil
			}
			buf := getReadBuffer()
			src, err := source.Read(ctx, in.Path, source.Options{Stdin: stdin, Limit: int64(maxSize), Buf: *buf})
			var res Result
			if err != nil && !errors.Is(err, source.ErrTooLarge) {
				res = Result{Path: in.Path, Err: readError(in.Path, err)}
			} else {
				// Too large: the parser reports the size (MC006).
				res = validateBytes(in.Path, src, opts, in.Walked)
			}
			// Nothing in a Result refers to the source bytes unless it
			// keeps the Document or the Source: the buffer can serve the
			// next file.
			if res.Document == nil && res.Source == nil && src != nil {
				*buf = src[:0]
				putReadBuffer(buf)
			}
			return res, nil
		},
		func(_ int, r Result) error { return emit(r) })
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
