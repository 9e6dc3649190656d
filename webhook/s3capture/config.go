// Package s3capture keeps captures in S3-compatible object storage (AWS
// S3, MinIO, SeaweedFS, R2, …), so that a fleet of receivers shares them
// and a CI job validates them: Sink is a webhook.CaptureSink that writes
// each capture, in the capture format of payhooks listen, to the key
// PREFIX/<provider>/<yyyy-mm-dd>/<capture name> with a conditional put
// (If-None-Match: *), so a retried delivery keeps its first capture; Reader
// lists and reads them back for payhooks validate, in key order, several
// at once.
//
// Locations are s3://BUCKET/PREFIX URLs; the endpoint and credentials come
// from the variables the AWS tools read: AWS_ENDPOINT_URL_S3 (or
// AWS_ENDPOINT_URL; path-style addressing then), AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION (or
// AWS_DEFAULT_REGION). It is a package of its own, on aws-sdk-go-v2's S3
// client, so that a receiver that does not use it links none of it.
package s3capture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Location is a bucket and a key prefix: s3://BUCKET/PREFIX.
type Location struct {
	Bucket string
	// Prefix has no slash at either end; "" is the bucket's root.
	Prefix string
}

// IsURL says whether s names object storage rather than a file.
func IsURL(s string) bool { return strings.HasPrefix(s, "s3://") }

// ParseURL reads s3://BUCKET[/PREFIX].
func ParseURL(s string) (Location, error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return Location{}, fmt.Errorf("%q: want s3://BUCKET/PREFIX", s)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return Location{}, fmt.Errorf("%q: bucket %q: want 3 to 63 of a-z, 0-9, '.' and '-'", s, bucket)
	}
	prefix = strings.Trim(prefix, "/")
	for _, part := range strings.Split(prefix, "/") {
		if prefix != "" && (part == "" || part == "." || part == "..") {
			return Location{}, fmt.Errorf("%q: the prefix has an empty, . or .. part", s)
		}
	}
	return Location{Bucket: bucket, Prefix: prefix}, nil
}

// validBucket follows S3's bucket naming rules, which every S3-compatible
// store accepts.
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || (c == '.' || c == '-') && i > 0 && i < len(b)-1) {
			return false
		}
	}
	return true
}

// String is the location's URL.
func (l Location) String() string {
	if l.Prefix == "" {
		return "s3://" + l.Bucket
	}
	return "s3://" + l.Bucket + "/" + l.Prefix
}

// key joins the prefix and a key below it.
func (l Location) key(rest string) string {
	if l.Prefix == "" {
		return rest
	}
	return l.Prefix + "/" + rest
}

// Config is where the store is and who asks.
type Config struct {
	// Endpoint is the store's URL; "" is AWS S3 itself. Given one, buckets
	// are addressed by path (http://host:port/bucket/key), as
	// S3-compatible stores expect.
	Endpoint string
	Region   string
	// AccessKeyID, SecretAccessKey and SessionToken sign every request
	// (AWS Signature Version 4).
	AccessKeyID, SecretAccessKey, SessionToken string
}

// The variables ConfigFromEnv reads, named in errors.
const (
	EnvEndpoint  = "AWS_ENDPOINT_URL_S3"
	EnvAccessKey = "AWS_ACCESS_KEY_ID"
	EnvSecretKey = "AWS_SECRET_ACCESS_KEY"
	EnvRegion    = "AWS_REGION"
)

// ConfigFromEnv reads the AWS tools' variables.
func ConfigFromEnv() Config {
	return Config{
		Endpoint:        firstSet(EnvEndpoint, "AWS_ENDPOINT_URL"),
		Region:          firstSet(EnvRegion, "AWS_DEFAULT_REGION"),
		AccessKeyID:     os.Getenv(EnvAccessKey),
		SecretAccessKey: os.Getenv(EnvSecretKey),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
	}
}

func firstSet(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// credentialsHint is what to check when the store refuses a request.
const credentialsHint = "check " + EnvAccessKey + " and " + EnvSecretKey + " (and " + EnvEndpoint + ", " + EnvRegion + ")"

// newClient builds the S3 client of cfg, or says which variable is
// missing or wrong.
func newClient(cfg Config) (*s3.Client, error) {
	if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
		return nil, fmt.Errorf("no credentials: set %s and %s", EnvAccessKey, EnvSecretKey)
	}
	region := cfg.Region
	if region == "" {
		if cfg.Endpoint == "" {
			return nil, fmt.Errorf("no region: set %s (or %s to an S3-compatible store's URL)", EnvRegion, EnvEndpoint)
		}
		region = "us-east-1" // what S3-compatible stores take when they have none
	}
	opts := s3.Options{
		Region: region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, SessionToken: cfg.SessionToken, Source: "environment"}, nil
		}),
		// Checksums only where S3 requires them: stores other than AWS's
		// differ in the trailing checksums the SDK would otherwise send.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		// A few quick retries: a receiver in required mode holds the
		// provider's request meanwhile, and the provider retries anyway.
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.MaxBackoff = time.Second
		}),
		HTTPClient: awshttp.NewBuildableClient().WithDialerOptions(func(d *net.Dialer) {
			d.Timeout = 5 * time.Second
		}).WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = 64
			t.ResponseHeaderTimeout = 30 * time.Second
		}),
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s %q: want an http:// or https:// URL", EnvEndpoint, cfg.Endpoint)
		}
		opts.BaseEndpoint = aws.String(cfg.Endpoint)
		opts.UsePathStyle = true
	}
	return s3.New(opts), nil
}

// explain turns a failed request into an error that says what to check.
func explain(loc Location, op string, err error, endpoint string) error {
	code, status := errorCode(err), statusCode(err)
	switch {
	case code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "InvalidToken" || code == "ExpiredToken":
		return fmt.Errorf("%s: %s: the store refused the credentials (%s): %s", loc, op, code, credentialsHint)
	case code == "AccessDenied":
		return fmt.Errorf("%s: %s: access denied to these credentials (%s)", loc, op, EnvAccessKey)
	case code == "NoSuchBucket":
		return fmt.Errorf("%s: %s: no bucket %q", loc, op, loc.Bucket)
	case status == http.StatusForbidden:
		return fmt.Errorf("%s: %s: 403 Forbidden: %s", loc, op, credentialsHint)
	case status != 0:
		return fmt.Errorf("%s: %s: %w", loc, op, err)
	}
	where := endpoint
	if where == "" {
		where = "AWS S3"
	}
	return fmt.Errorf("%s: %s: cannot reach %s (%s): %w", loc, op, where, EnvEndpoint, err)
}

// errorCode is the S3 error code of a failed request ("" when there is
// none, as for a refused connection or a HEAD request's error).
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// statusCode is the HTTP status of a failed request (0 when none came).
func statusCode(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// store is a location and the client that reaches it.
type store struct {
	client   *s3.Client
	loc      Location
	endpoint string
}

// dial parses url and builds its client.
func dial(url string, cfg Config) (store, error) {
	loc, err := ParseURL(url)
	if err != nil {
		return store{}, err
	}
	client, err := newClient(cfg)
	if err != nil {
		return store{}, fmt.Errorf("%s: %w", loc, err)
	}
	return store{client: client, loc: loc, endpoint: cfg.Endpoint}, nil
}
