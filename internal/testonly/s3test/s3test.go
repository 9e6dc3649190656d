// Package s3test runs a real S3-compatible object store for the tests that
// need one: SeaweedFS, built from the Go module proxy into the checkout's
// .tools/ by make seaweedfs (make test does it; CI too), started on free
// loopback ports with an identity, so every request's SigV4 signature is
// checked. Without the binary a test is skipped on a developer's machine,
// saying how to build it, and fails in CI.
package s3test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/posix"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// The identity the server checks signatures against.
const (
	AccessKey = "payhooks-test"
	SecretKey = "payhooks-test-secret"
)

// Server is a running SeaweedFS with its S3 gateway.
type Server struct {
	// Endpoint is the S3 gateway's URL.
	Endpoint string
	bin, dir string
	ports    []int
	mu       sync.Mutex
	cmd      *exec.Cmd
	log      bytes.Buffer
}

// Binary is the SeaweedFS binary: $PAYHOOKS_TEST_WEED, or the one make
// seaweedfs builds into the checkout.
func Binary() (string, error) {
	if bin := os.Getenv("PAYHOOKS_TEST_WEED"); bin != "" {
		return bin, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".tools", "seaweedfs", "weed"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Start runs a server of t's own, stopped when t ends: for a test that
// kills it.
func Start(t testing.TB) *Server {
	t.Helper()
	s := newServer(t)
	t.Cleanup(func() { s.Kill(t) })
	s.start(t)
	return s
}

var shared struct {
	sync.Mutex
	s *Server
}

// Shared is one server for the tests of a package that leave it running;
// each test takes buckets of its own (Bucket). The package's TestMain
// calls StopShared.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if shared.s == nil {
		s := newServer(t)
		s.dir = must(os.MkdirTemp("", "payhooks-seaweedfs-"))
		s.start(t)
		shared.s = s
	}
	return shared.s
}

// StopShared ends the shared server, if one was started, and removes its
// data.
func StopShared() {
	shared.Lock()
	defer shared.Unlock()
	if s := shared.s; s != nil {
		s.Kill(nil)
		os.RemoveAll(s.dir)
		shared.s = nil
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// newServer finds the binary and ports, or skips (fails in CI).
func newServer(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("SeaweedFS is not built (%v): make seaweedfs builds it, and .ci/run runs it", err)
		}
		t.Skipf("SeaweedFS is not built (%v): make seaweedfs builds it (make test does); CI runs this test", err)
	}
	s := &Server{bin: bin, dir: t.TempDir(), ports: freePorts(t, 8)}
	s.Endpoint = "http://127.0.0.1:" + strconv.Itoa(s.ports[6])
	return s
}

// freePorts finds n loopback ports free now.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var held []net.Listener
	for len(ports) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		held = append(held, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range held {
		l.Close()
	}
	return ports
}

// start runs the server on its folder and ports and waits until it
// stores objects.
func (s *Server) start(t testing.TB) {
	t.Helper()
	p := func(i int) string { return strconv.Itoa(s.ports[i]) }
	data := filepath.Join(s.dir, "data")
	require.NoError(t, os.MkdirAll(data, 0o755))
	config := filepath.Join(s.dir, "s3.json")
	require.NoError(t, os.WriteFile(config, []byte(`{"identities":[{"name":"payhooks","credentials":[{"accessKey":"`+AccessKey+`","secretKey":"`+SecretKey+`"}],"actions":["Admin","Read","Write","List","Tagging"]}]}`), 0o600))
	cmd := exec.Command(s.bin, "server", "-dir="+data, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port="+p(0), "-master.port.grpc="+p(1), "-volume.port="+p(2), "-volume.port.grpc="+p(3),
		"-filer", "-filer.port="+p(4), "-filer.port.grpc="+p(5),
		"-s3", "-s3.port="+p(6), "-s3.port.grpc="+p(7), "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.config="+filepath.Join(s.dir, "s3.json"), "-s3.autoCreateBucket=false", "-master.volumeSizeLimitMB=8", "-master.electionTimeout=1s", "-volume.preStopSeconds=0", "-volume.max=300", "-metricsPort=0")
	cmd.Stdout, cmd.Stderr = &lockedWriter{s}, &lockedWriter{s}
	posix.OwnGroup(cmd)
	require.NoError(t, cmd.Start())
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	client := s3.New(s.Client().Options(), func(o *s3.Options) { o.RetryMaxAttempts = 1 }) // this loop retries
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var last error
	began := time.Now()
	defer func() { t.Logf("%s stores objects after %v", s, time.Since(began).Round(time.Millisecond)) }()
	for ctx.Err() == nil {
		_, last = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("payhooks-ready"), Key: aws.String("ready"), Body: bytes.NewReader([]byte("ok"))})
		if last == nil {
			return
		}
		_, _ = client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("payhooks-ready")})
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("SeaweedFS did not start storing objects in 90 s: %v\n%s", last, s.Log())
}

type lockedWriter struct{ s *Server }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.log.Len() < 1<<20 {
		w.s.log.Write(p)
	}
	return len(p), nil
}

// Log is what the server printed.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// Kill ends the server at once (SIGKILL), as a crash or an outage would.
func (s *Server) Kill(t testing.TB) {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	posix.KillGroup(cmd)
	cmd.Wait()
}

// Restart starts a killed server again on the same folder and ports.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.start(t)
}

// Client is an S3 client of the server, for a test to look at what it
// holds.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(s.Endpoint), UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: AccessKey, SecretAccessKey: SecretKey}, nil
		}),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// Config is how a sink or reader reaches the server.
func (s *Server) Config() s3capture.Config {
	return s3capture.Config{Endpoint: s.Endpoint, Region: "us-east-1", AccessKeyID: AccessKey, SecretAccessKey: SecretKey}
}

// Env is the environment of a process that uses the server.
func (s *Server) Env() []string {
	return []string{"AWS_ENDPOINT_URL_S3=" + s.Endpoint, "AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey, "AWS_REGION=us-east-1"}
}

var buckets atomic.Int64

// Bucket creates a bucket of the test's own and returns its name.
func (s *Server) Bucket(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test-%d-%d", os.Getpid(), buckets.Add(1))
	client := s.Client()
	_, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	require.NoError(t, err, "create bucket %q", name)
	// SeaweedFS answers 500 until a volume is grown for the new bucket.
	require.Eventually(t, func() bool {
		_, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(".ready"), Body: bytes.NewReader(nil)})
		return err == nil
	}, 30*time.Second, 50*time.Millisecond, "bucket %q takes objects", name)
	_, err = client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(name), Key: aws.String(".ready")})
	require.NoError(t, err)
	return name
}

// Keys lists every key below prefix, sorted.
func (s *Server) Keys(t testing.TB, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	pages := s3.NewListObjectsV2Paginator(s.Client(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		require.NoError(t, err)
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	slices.Sort(keys)
	return keys
}

// Get reads an object.
func (s *Server) Get(t testing.TB, bucket, key string) []byte {
	t.Helper()
	out, err := s.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err, "get %s", key)
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return data
}

// String names the server in a failure message.
func (s *Server) String() string { return fmt.Sprintf("SeaweedFS at %s", s.Endpoint) }
