package jsonscan

import "fmt"

// Number returns the index just past the JSON number starting at i, or an
// error when the bytes there do not spell one (a leading zero, a bare
// point, an exponent without digits, a plus sign).
func Number[T string | []byte](data T, i int) (int, error) {
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j < len(data) && data[j] == '0':
		j++
	case j < len(data) && data[j] >= '1' && data[j] <= '9':
		j = digits(data, j)
	default:
		return 0, fmt.Errorf("invalid number at offset %d", i)
	}
	if j < len(data) && data[j] == '.' {
		start := j + 1
		if j = digits(data, start); j == start {
			return 0, fmt.Errorf("invalid number at offset %d: no digit after the point", i)
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		start := j
		if j = digits(data, start); j == start {
			return 0, fmt.Errorf("invalid number at offset %d: no digit in the exponent", i)
		}
	}
	return j, nil
}

func digits[T string | []byte](data T, j int) int {
	for j < len(data) && data[j] >= '0' && data[j] <= '9' {
		j++
	}
	return j
}
