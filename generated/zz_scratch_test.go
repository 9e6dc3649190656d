package generated_test

import (
	"os"
	"testing"

	"github.com/payhooks/payhooks/generated/adyentokenization"
)

func BenchmarkScratchTokDecode(b *testing.B) {
	body, _ := os.ReadFile("../schemas/adyentokenization/examples/recurring.token.created.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := adyentokenization.Parse(body); err != nil {
			b.Fatal(err)
		}
	}
}
