package report

import (
	"io"
	"os"
)

// spool holds a report's body in a temporary file until its totals are
// known, so formats whose header carries counts (JUnit, SARIF) still run in
// flat memory however many payloads there are.
type spool struct {
	f   *os.File
	err error
}

func (s *spool) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.f == nil {
		if s.f, s.err = os.CreateTemp("", "payhooks-report-*"); s.err != nil {
			return 0, s.err
		}
	}
	return s.f.Write(p)
}

// copyTo writes everything spooled to w and removes the file.
func (s *spool) copyTo(w io.Writer) error {
	if s.err != nil {
		return s.err
	}
	if s.f == nil {
		return nil
	}
	defer os.Remove(s.f.Name())
	defer s.f.Close()
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.f)
	return err
}
