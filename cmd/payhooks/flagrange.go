package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// bounded is a numeric flag held to a range: Set refuses a value outside
// it, so a command given one stops while parsing its flags (exit status 2,
// the accepted range named) before it starts anything.
type bounded[T int | int64 | time.Duration] struct {
	v      *T
	lo, hi T
}

// rangeFlag defines a numeric flag that takes values from lo to hi; its
// usage line ends with the range.
func rangeFlag[T int | int64 | time.Duration](fl *flag.FlagSet, name string, value, lo, hi T, usage string) *T {
	b := &bounded[T]{v: new(T), lo: lo, hi: hi}
	*b.v = value
	fl.Var(b, name, fmt.Sprintf("%s (%s)", usage, b.accepted()))
	return b.v
}

func (b *bounded[T]) accepted() string {
	return fmt.Sprintf("%s to %s", format(b.lo), format(b.hi))
}

func format[T int | int64 | time.Duration](v T) string {
	if d, ok := any(v).(time.Duration); ok {
		return d.String()
	}
	return strconv.FormatInt(int64(v), 10)
}

func (b *bounded[T]) String() string {
	if b == nil || b.v == nil {
		return ""
	}
	return format(*b.v)
}

func (b *bounded[T]) Set(s string) error {
	var v T
	switch p := any(&v).(type) {
	case *time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("not a duration (such as 30s or 5m); want %s", b.accepted())
		}
		*p = d
	default:
		n, err := strconv.ParseInt(s, 0, 64)
		if err != nil || int64(T(n)) != n {
			return fmt.Errorf("not a whole number in range; want %s", b.accepted())
		}
		v = T(n)
	}
	if v < b.lo || v > b.hi {
		return fmt.Errorf("out of range; want %s", b.accepted())
	}
	*b.v = v
	return nil
}

// The ranges of the counts that size a command's work: past them a typing
// slip would hold gigabytes (a goroutine and a connection per request in
// flight, a result per delivery sent, a payload per worker).
const (
	maxWorkers     = 256
	maxSendCount   = 1_000_000
	maxConcurrency = 1000
)
