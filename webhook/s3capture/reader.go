package s3capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Reader lists and reads the objects below a location.
type Reader struct {
	store
	// Parallel is how many objects are read at once (default 16).
	Parallel int
}

// NewReader returns the reader of url (s3://BUCKET[/PREFIX]); the first
// listing says what is wrong with the credentials or the bucket.
func NewReader(url string, cfg Config) (*Reader, error) {
	st, err := dial(url, cfg)
	if err != nil {
		return nil, err
	}
	return &Reader{store: st, Parallel: 16}, nil
}

// Dates selects the objects below a yyyy-mm-dd segment of their key (the
// date of a capture) from Since to Until, both included; "" leaves that
// end open. With either set, objects under no date segment are left out.
type Dates struct{ Since, Until string }

func (d Dates) open() bool { return d.Since == "" && d.Until == "" }

func (d Dates) holds(date string) bool {
	return (d.Since == "" || date >= d.Since) && (d.Until == "" || date <= d.Until)
}

// IsDate says whether s is a yyyy-mm-dd date.
func IsDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// Object is one object Read lists.
type Object struct {
	// URL is s3://BUCKET/KEY.
	URL  string
	Key  string
	Size int64
	// Body is its content, nil when the selection said not to fetch it or
	// Err is set; fn closes it.
	Body io.ReadCloser
	Err  error
}

// fetchWhole is the size up to which an object is read into memory by the
// worker that fetches it, so that small objects arrive in parallel; a
// larger one is handed over as the response's stream.
const fetchWhole = 1 << 20

// Read lists the objects below the location in key order, keeps those
// dates selects and that selected(key, size) lists, fetches those it says
// to fetch (Parallel at a time), and calls fn with each in key order.
// Memory holds at most Parallel objects of up to 1 MiB and one listing
// page, however many objects there are. A listing that fails is returned,
// after fn has seen what was listed before; Read stops early when fn
// returns an error, and returns it.
func (r *Reader) Read(ctx context.Context, dates Dates, selected func(key string, size int64) (list, fetch bool), fn func(Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parallel := max(r.Parallel, 1)
	type job struct {
		obj   Object
		fetch bool
		out   chan Object
	}
	jobs := make(chan job, parallel)
	order := make(chan chan Object, parallel)
	listErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(jobs)
		listErr <- r.walk(ctx, dates, func(key string, size int64) error {
			list, fetch := selected(key, size)
			if !list {
				return nil
			}
			j := job{obj: Object{URL: "s3://" + r.loc.Bucket + "/" + key, Key: key, Size: size}, fetch: fetch, out: make(chan Object, 1)}
			select {
			case order <- j.out:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()
	for range parallel {
		go func() {
			for j := range jobs {
				if j.fetch {
					j.obj.Body, j.obj.Err = r.fetch(ctx, j.obj.Key, j.obj.Size)
				}
				j.out <- j.obj
			}
		}()
	}
	var fnErr error
	for out := range order {
		o := <-out
		if fnErr != nil {
			if o.Body != nil {
				o.Body.Close()
			}
			continue
		}
		if fnErr = fn(o); fnErr != nil {
			cancel()
		}
	}
	if err := <-listErr; fnErr == nil && err != nil {
		return err
	}
	return fnErr
}

// fetch reads an object: whole when it is small, else its stream.
func (r *Reader) fetch(ctx context.Context, key string, size int64) (io.ReadCloser, error) {
	out, err := r.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(r.loc.Bucket), Key: aws.String(key)})
	if err != nil {
		return nil, explain(r.loc, "get "+key, err, r.endpoint)
	}
	if size > fetchWhole {
		return out.Body, nil
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, fetchWhole+1))
	if err != nil {
		return nil, fmt.Errorf("s3://%s/%s: %w", r.loc.Bucket, key, err)
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// walk lists the location folder by folder ("/" the delimiter), in key
// order, skipping the date folders out of range without listing them.
func (r *Reader) walk(ctx context.Context, dates Dates, yield func(key string, size int64) error) error {
	root := r.loc.Prefix
	dated := false
	if i := strings.LastIndexByte(root, '/'); IsDate(root[i+1:]) {
		if !dates.holds(root[i+1:]) {
			return nil
		}
		dated = true
	}
	if root != "" {
		root += "/"
	}
	found, err := r.walkFolder(ctx, root, dates, dated, yield)
	if err != nil || found || root == "" {
		return err
	}
	// Nothing below: the URL may name one object.
	key := strings.TrimSuffix(root, "/")
	head, err := r.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.loc.Bucket), Key: aws.String(key)})
	switch {
	case err == nil:
		return yield(key, aws.ToInt64(head.ContentLength))
	case statusCode(err) == 404:
		return nil
	}
	return explain(r.loc, "head "+key, err, r.endpoint)
}

// entry is an object or a folder of a listing page.
type entry struct {
	key    string
	size   int64
	folder bool
}

func (r *Reader) walkFolder(ctx context.Context, prefix string, dates Dates, dated bool, yield func(string, int64) error) (found bool, err error) {
	pages := s3.NewListObjectsV2Paginator(r.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(r.loc.Bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/"),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return found, err
			}
			return found, explain(r.loc, "list "+prefix, err, r.endpoint)
		}
		entries := make([]entry, 0, len(page.Contents)+len(page.CommonPrefixes))
		for _, o := range page.Contents {
			entries = append(entries, entry{key: aws.ToString(o.Key), size: aws.ToInt64(o.Size)})
		}
		for _, p := range page.CommonPrefixes {
			entries = append(entries, entry{key: aws.ToString(p.Prefix), folder: true})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		for _, e := range entries {
			found = true
			if !e.folder {
				if dates.open() || dated {
					if err := yield(e.key, e.size); err != nil {
						return found, err
					}
				}
				continue
			}
			name := strings.TrimSuffix(e.key[len(prefix):], "/")
			inDate := dated
			if IsDate(name) {
				if !dates.holds(name) {
					continue
				}
				inDate = true
			}
			if _, err := r.walkFolder(ctx, e.key, dates, inDate, yield); err != nil {
				return found, err
			}
		}
	}
	return found, nil
}
