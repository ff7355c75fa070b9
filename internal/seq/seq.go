// Package seq runs independent pieces of work in parallel and hands their
// results over in input order, with a bounded window: gofmt's sequencer
// idiom, without the weights. validate.Files uses it to validate thousands
// of files on every core while printing them in the order given and
// holding only a few results in memory.
package seq

import (
	"context"
	"runtime"
	"sync"
)

// Options bound an Ordered run. The zero value uses every core.
type Options struct {
	// Jobs is the number of goroutines running work; <= 0 means
	// runtime.GOMAXPROCS(0). It is never more than the number of items.
	Jobs int
	// Window is the most items started and not yet emitted at any time:
	// a slow item holds back at most Window-1 finished results behind it,
	// which bounds memory whatever the order of completion. <= 0 means
	// 4 × Jobs.
	Window int
}

// Ordered calls work(ctx, i) for every i in [0, n) on up to opts.Jobs
// goroutines, and emit(i, v) with each result in index order, on the
// caller's goroutine, as soon as it and every result before it are done.
// work starts on item i only once fewer than opts.Window items are
// started and not yet emitted.
//
// The first error, from work or from emit, stops the run: no later item is
// emitted, the context passed to work is cancelled, and Ordered returns
// that error once every running work call has returned. When ctx is
// cancelled before every item is emitted, Ordered stops the same way and
// returns ctx.Err(); a context cancelled before the call runs nothing. It
// returns nil when all n items were emitted.
func Ordered[T any](ctx context.Context, n int, opts Options,
	work func(ctx context.Context, i int) (T, error), emit func(i int, v T) error) error {
	if err := ctx.Err(); err != nil || n <= 0 {
		return err
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, n)
	window := opts.Window
	if window <= 0 {
		window = 4 * jobs
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		v   T
		err error
	}
	var (
		tokens = make(chan struct{}, window) // one per item started and not emitted
		queue  = make(chan int, window)      // started items, in index order
		todo   = make(chan int)              // items for the workers
		wg     sync.WaitGroup
		// Item i reports through slots[i%window], buffered so that a
		// worker never waits for the emitter: at most window items are
		// started and not emitted, so item i-window's result has been
		// taken when item i starts, and no channel is allocated per item.
		slots = make([]chan result, window)
	)
	for k := range slots {
		slots[k] = make(chan result, 1)
	}
	wg.Add(1)
	go func() { // the feeder
		defer wg.Done()
		defer close(todo)
		defer close(queue)
		for i := range n {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			queue <- i // never blocks: queue holds at most one item per token
			select {
			case todo <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range todo {
				v, err := work(ctx, i)
				slots[i%window] <- result{v, err}
			}
		}()
	}

	var (
		err     error
		emitted int
	)
loop:
	for i := range queue {
		var r result
		select {
		case r = <-slots[i%window]:
		case <-ctx.Done():
			break loop
		}
		if r.err != nil {
			err = r.err
			break
		}
		if err = emit(i, r.v); err != nil {
			break
		}
		emitted++
		<-tokens
	}
	if err == nil && emitted < n {
		err = ctx.Err()
	}
	cancel()
	wg.Wait()
	return err
}
