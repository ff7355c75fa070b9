package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultAddr is where Start listens when addr is empty: a free loopback
// port.
const DefaultAddr = "127.0.0.1:0"

// ErrNotLoopback is returned by Start for an address that is not a
// loopback address, unless Options.AllowNonLoopback is set.
var ErrNotLoopback = errors.New("sandbox: refusing to listen on a non-loopback address")

// Running is a started server.
type Running struct {
	// URL is the base URL of both the login and the API paths,
	// http://127.0.0.1:PORT.
	URL    string
	Server *Server

	hs   *http.Server
	done chan struct{}
	once sync.Once
	err  error
}

// Start listens on addr (DefaultAddr when empty) and serves s until ctx is
// done or Close is called.
func Start(ctx context.Context, addr string, s *Scenario, opts Options) (*Running, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: address %q: %w", addr, err)
	}
	if !opts.AllowNonLoopback && !isLoopback(host) {
		return nil, fmt.Errorf("%w: %s", ErrNotLoopback, addr)
	}
	srv, err := New(s, opts)
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	r := &Running{
		URL:    "http://" + ln.Addr().String(),
		Server: srv,
		hs:     &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		if err := r.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.err = err
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			r.Close()
		case <-r.done:
		}
	}()
	return r, nil
}

// Done is closed when the server has stopped.
func (r *Running) Done() <-chan struct{} { return r.done }

// Close stops the server and closes every connection.
func (r *Running) Close() error {
	var err error
	r.once.Do(func() {
		err = r.hs.Close()
		<-r.done
		if err == nil {
			err = r.err
		}
	})
	return err
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
