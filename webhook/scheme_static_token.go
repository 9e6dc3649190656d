package webhook

import "net/http"

// staticToken: a shared token in a header, compared in constant time
// (Finmo's x-security-token, header configurable).
type staticToken struct{}

func init() { register(SchemeStaticToken, staticToken{}) }

func (staticToken) env() []string { return []string{"TOKEN"} }

func (staticToken) secretHeaders(s Scheme) []string { return []string{s.header("x-security-token")} }

func (staticToken) signatureHeaders(Scheme) []string { return nil }

func (staticToken) keyed(s Scheme, secrets Secrets, _ VerifyOptions) (keyedScheme, error) {
	if err := need(s, "a token", secrets.Token); err != nil {
		return nil, err
	}
	return staticTokenKeyed{header: s.header("x-security-token"), token: secrets.Token}, nil
}

type staticTokenKeyed struct{ header, token string }

func (k staticTokenKeyed) Verify(r Request) error {
	got := r.Header.Get(k.header)
	if got == "" {
		return sigErr("header %q is missing", k.header)
	}
	if !equal(got, k.token) {
		return sigErr("header %q does not match the configured token", k.header)
	}
	return nil
}

func (k staticTokenKeyed) Sign(h http.Header, _ string, _ []byte) error {
	h.Set(k.header, k.token)
	return nil
}
