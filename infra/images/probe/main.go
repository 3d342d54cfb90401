// A probe for the local node's tests, one static binary with two commands:
//
//	probe serve [port...]             answer HTTP on each port (default 8080) with the
//	                                  pod's name; GET /connect?to=host:port&ms=N tries one
//	                                  TCP connection from this pod and answers "open" or
//	                                  "closed: <reason>" (the packet matrix's agent);
//	                                  GET /fetch?url=U&proxy=host:port&ms=N makes one HTTP GET of U
//	                                  (through the forward proxy, when given) and answers
//	                                  "status <code> <bytes>" or "error: <reason>";
//	                                  GET /bytes?n=N answers N bytes (a download to measure)
//	                                  GET /resolve?name=N looks a name up with the pod's
//	                                  resolver and answers "addresses a b" or "error: <reason>"
//	probe connect host:port [ms]      try one TCP connection; print "open" and exit 0,
//	                                  or print "closed: <reason>" and exit 1
//	probe write path text             write text to a file (and sync it), then exit
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

func serve(ports []string) {
	if len(ports) == 0 {
		ports = []string{"8080"}
	}
	name, _ := os.Hostname()
	handler := http.NewServeMux()
	handler.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok %s\n", name)
	})
	handler.HandleFunc("/connect", func(w http.ResponseWriter, r *http.Request) {
		ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
		if err != nil || ms <= 0 {
			ms = 2000
		}
		fmt.Fprintln(w, try(r.URL.Query().Get("to"), time.Duration(ms)*time.Millisecond))
	})
	handler.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > 1<<30 {
			http.Error(w, "n: a byte count up to 1 GiB", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		chunk := make([]byte, 32*1024)
		for n > 0 {
			m := min(n, len(chunk))
			if _, err := w.Write(chunk[:m]); err != nil {
				return
			}
			n -= m
		}
	})
	handler.HandleFunc("/fetch", func(w http.ResponseWriter, r *http.Request) {
		ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
		if err != nil || ms <= 0 {
			ms = 5000
		}
		fmt.Fprintln(w, fetch(r.URL.Query().Get("url"), r.URL.Query().Get("proxy"), time.Duration(ms)*time.Millisecond))
	})
	handler.HandleFunc("/resolve", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		addrs, err := net.DefaultResolver.LookupHost(ctx, r.URL.Query().Get("name"))
		if err != nil {
			fmt.Fprintf(w, "error: %v\n", err)
			return
		}
		fmt.Fprintf(w, "addresses %s\n", strings.Join(addrs, " "))
	})
	errs := make(chan error, len(ports))
	for _, port := range ports {
		server := &http.Server{Addr: ":" + port, Handler: handler, ReadHeaderTimeout: 5 * time.Second}
		go func() { errs <- server.ListenAndServe() }()
	}
	fmt.Fprintln(os.Stderr, <-errs)
	os.Exit(1)
}

// try makes one TCP connection and reports "open" or "closed: <reason>".
func try(address string, timeout time.Duration) string {
	conn, err := net.DialTimeout("tcp", address, timeout)
	if err != nil {
		return fmt.Sprintf("closed: %v", err)
	}
	conn.Close()
	return "open"
}

// fetch makes one HTTP GET, through a forward proxy when one is given, and reports
// "status <code> <bytes>" or "error: <reason>".
func fetch(target, proxy string, timeout time.Duration) string {
	transport := &http.Transport{Proxy: nil, DisableKeepAlives: true}
	if proxy != "" {
		transport.Proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: proxy})
	}
	client := &http.Client{Transport: transport, Timeout: timeout}
	res, err := client.Get(target)
	if err != nil {
		return fmt.Sprintf("error: %v", err)
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	return fmt.Sprintf("status %d %d", res.StatusCode, n)
}

func connect(address string, timeout time.Duration) {
	result := try(address, timeout)
	fmt.Println(result)
	if result != "open" {
		os.Exit(1)
	}
}

func write(path, text string) {
	f, err := os.Create(path)
	if err == nil {
		_, err = f.WriteString(text)
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("written", path)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: probe serve [port...] | probe connect host:port [timeout-ms] | probe write path text")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "write":
		if len(os.Args) < 4 {
			fmt.Fprintln(os.Stderr, "usage: probe write path text")
			os.Exit(2)
		}
		write(os.Args[2], os.Args[3])
	case "connect":
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "usage: probe connect host:port [timeout-ms]")
			os.Exit(2)
		}
		ms := 2000
		if len(os.Args) > 3 {
			if n, err := strconv.Atoi(os.Args[3]); err == nil && n > 0 {
				ms = n
			}
		}
		connect(os.Args[2], time.Duration(ms)*time.Millisecond)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}
