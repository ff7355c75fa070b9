package seq_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/manifestctl/manifestctl/internal/seq"
)

func value(i int) string { return fmt.Sprint("item ", i) }

// collect runs Ordered and returns the emitted indexes and the error; it
// fails the test when an emitted value is not the one work produced for
// its index. hook, when not nil, is called after each emit and its error
// is emit's.
func collect(t *testing.T, ctx context.Context, n int, opts seq.Options,
	work func(context.Context, int) (string, error), hook func(i int) error) ([]int, error) {
	t.Helper()
	var got []int
	err := seq.Ordered(ctx, n, opts, work, func(i int, v string) error {
		if v != value(i) {
			t.Errorf("emit(%d, %q), want %q", i, v, value(i))
		}
		got = append(got, i)
		if hook != nil {
			return hook(i)
		}
		return nil
	})
	return got, err
}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestOrderUnderCompletionOrder makes every item start, then lets them
// finish one at a time in a chosen order (the next is released only once
// the previous has returned), and checks that the results are emitted in
// index order all the same.
func TestOrderUnderCompletionOrder(t *testing.T) {
	const n = 24
	reversed := upTo(n)
	slices.Reverse(reversed)
	orders := map[string][]int{"in order": upTo(n), "reversed": reversed}
	for seed := range uint64(5) {
		perm := upTo(n)
		rand.New(rand.NewPCG(seed, 11)).Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		orders[fmt.Sprint("random ", seed)] = perm
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			started := make(chan int, n)
			gates := make([]chan struct{}, n)
			done := make(chan int)
			for i := range gates {
				gates[i] = make(chan struct{})
			}
			var finished []int
			var control sync.WaitGroup
			control.Add(1)
			go func() { // release the items in order, one at a time
				defer control.Done()
				for range n {
					<-started
				}
				for _, i := range order {
					close(gates[i])
					finished = append(finished, <-done)
				}
			}()
			got, err := collect(t, context.Background(), n, seq.Options{Jobs: n, Window: n},
				func(_ context.Context, i int) (string, error) {
					started <- i
					<-gates[i]
					defer func() { done <- i }()
					return value(i), nil
				}, nil)
			control.Wait()
			if err != nil {
				t.Fatalf("Ordered: %v", err)
			}
			if !slices.Equal(finished, order) {
				t.Fatalf("completion order %v, want %v (the test did not control it)", finished, order)
			}
			if !slices.Equal(got, upTo(n)) {
				t.Errorf("emitted %v, want 0..%d in order", got, n-1)
			}
		})
	}
}

// TestJobsAndWindows runs every item with various bounds and free
// scheduling.
func TestJobsAndWindows(t *testing.T) {
	for _, tc := range []struct {
		n    int
		opts seq.Options
	}{
		{0, seq.Options{}},
		{1, seq.Options{}},
		{100, seq.Options{}},
		{100, seq.Options{Jobs: 1, Window: 1}},
		{100, seq.Options{Jobs: 3, Window: 2}}, // window below jobs: workers wait
		{100, seq.Options{Jobs: 8, Window: 100}},
		{5, seq.Options{Jobs: 64}},
	} {
		t.Run(fmt.Sprintf("n=%d/%+v", tc.n, tc.opts), func(t *testing.T) {
			got, err := collect(t, context.Background(), tc.n, tc.opts,
				func(_ context.Context, i int) (string, error) { return value(i), nil }, nil)
			if err != nil || !slices.Equal(got, upTo(tc.n)) {
				t.Errorf("Ordered = %v, emitted %v; want nil and 0..%d", err, got, tc.n-1)
			}
		})
	}
}

// TestWindowBound checks, at the start of every work call, that the items
// started and not yet emitted never exceed the window. Item 0 (the one
// every emit waits for) does not finish until the window is full, so that
// an implementation that ignored the bound would start more items while
// it waits.
func TestWindowBound(t *testing.T) {
	for _, tc := range []struct{ jobs, window int }{{16, 4}, {4, 4}, {2, 8}, {1, 1}, {8, 1}} {
		t.Run(fmt.Sprintf("jobs=%d,window=%d", tc.jobs, tc.window), func(t *testing.T) {
			const n = 200
			var (
				mu                     sync.Mutex
				started, emitted, most int
				full                   = make(chan struct{})
			)
			work := func(_ context.Context, i int) (string, error) {
				mu.Lock()
				started++
				ahead := started - emitted
				most = max(most, ahead)
				if started == tc.window {
					close(full)
				}
				mu.Unlock()
				if ahead > tc.window {
					t.Errorf("item %d starts with %d items started and not emitted, window %d", i, ahead, tc.window)
				}
				if i == 0 {
					<-full
				}
				return value(i), nil
			}
			got, err := collect(t, context.Background(), n, seq.Options{Jobs: tc.jobs, Window: tc.window}, work,
				func(int) error {
					mu.Lock()
					emitted++
					mu.Unlock()
					return nil
				})
			if err != nil || len(got) != n {
				t.Fatalf("Ordered = %v with %d emitted", err, len(got))
			}
			if most != tc.window {
				t.Errorf("at most %d items ahead, want the window (%d) reached", most, tc.window)
			}
		})
	}
}

// TestErrors checks that the first error, from work or from emit, is
// returned, that nothing after it is emitted, and that Ordered returns
// only once every work call has returned.
func TestErrors(t *testing.T) {
	errWork := errors.New("work failed")
	errEmit := errors.New("emit failed")
	for _, tc := range []struct {
		name    string
		workErr int // index whose work fails, -1 for none
		emitErr int // index whose emit fails, -1 for none
		want    error
		emitted []int
		jobs    int
	}{
		{"work fails", 5, -1, errWork, upTo(5), 4},
		{"first work fails", 0, -1, errWork, nil, 4},
		{"emit fails", -1, 7, errEmit, upTo(8), 4},
		{"work fails, one job", 3, -1, errWork, upTo(3), 1},
		{"emit fails before a failing work", 9, 2, errEmit, upTo(3), 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var running atomic.Int64
			work := func(ctx context.Context, i int) (string, error) {
				running.Add(1)
				defer running.Add(-1)
				if i == tc.workErr {
					return "", fmt.Errorf("item %d: %w", i, errWork)
				}
				if i > tc.workErr && tc.workErr >= 0 || tc.emitErr >= 0 && i > tc.emitErr {
					// Items after the failing one wait for the
					// cancellation, which must come.
					<-ctx.Done()
					return "", ctx.Err()
				}
				return value(i), nil
			}
			got, err := collect(t, context.Background(), 1000, seq.Options{Jobs: tc.jobs}, work, func(i int) error {
				if i == tc.emitErr {
					return errEmit
				}
				return nil
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("Ordered = %v, want %v", err, tc.want)
			}
			if !slices.Equal(got, tc.emitted) {
				t.Errorf("emitted %v, want %v", got, tc.emitted)
			}
			if n := running.Load(); n != 0 {
				t.Errorf("%d work calls still running after Ordered returned", n)
			}
		})
	}
}

// TestCancel cancels the context from emit, and from outside while the
// emitter waits for a work call.
func TestCancel(t *testing.T) {
	t.Run("during emit", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var running atomic.Int64
		got, err := collect(t, ctx, 1000, seq.Options{Jobs: 4}, func(ctx context.Context, i int) (string, error) {
			running.Add(1)
			defer running.Add(-1)
			if i > 10 {
				<-ctx.Done()
				return "", ctx.Err()
			}
			return value(i), nil
		}, func(i int) error {
			if i == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || !slices.Equal(got, upTo(11)) {
			t.Errorf("Ordered = %v, emitted %v; want context.Canceled after 0..10", err, got)
		}
		if n := running.Load(); n != 0 {
			t.Errorf("%d work calls still running after Ordered returned", n)
		}
	})
	t.Run("while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		first := make(chan struct{})
		go func() {
			<-first
			cancel()
		}()
		got, err := collect(t, ctx, 50, seq.Options{Jobs: 2}, func(ctx context.Context, i int) (string, error) {
			if i == 0 {
				close(first)
				<-ctx.Done() // item 0 only ends with the cancellation
				return "", ctx.Err()
			}
			return value(i), nil
		}, nil)
		if !errors.Is(err, context.Canceled) || len(got) != 0 {
			t.Errorf("Ordered = %v, emitted %v; want context.Canceled and nothing", err, got)
		}
	})
	t.Run("before the start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for _, n := range []int{0, 10} {
			got, err := collect(t, ctx, n, seq.Options{}, func(ctx context.Context, i int) (string, error) {
				t.Errorf("work(%d) runs with a cancelled context", i)
				return value(i), nil
			}, nil)
			if !errors.Is(err, context.Canceled) || len(got) != 0 {
				t.Errorf("n=%d: Ordered = %v, emitted %v; want context.Canceled", n, err, got)
			}
		}
	})
}

// BenchmarkOrdered measures what the sequencer costs per item, with work
// that does nothing: validate.Files' work is a file read and a validation
// (tens of microseconds), so this overhead must stay far below that.
func BenchmarkOrdered(b *testing.B) {
	const n = 10000
	b.ReportAllocs()
	for b.Loop() {
		sum := 0
		err := seq.Ordered(context.Background(), n, seq.Options{},
			func(_ context.Context, i int) (int, error) { return i, nil },
			func(_ int, v int) error { sum += v; return nil })
		if err != nil || sum != n*(n-1)/2 {
			b.Fatalf("Ordered = %v, sum %d", err, sum)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/item")
}
