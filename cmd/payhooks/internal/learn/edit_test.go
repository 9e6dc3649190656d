package learn

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/infer"
)

const doc = `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`

// Each edit changes its own bytes and no others: key order, indentation,
// one-line containers and text stay as they were written.
func TestApplySplicesOnlyTheEdit(t *testing.T) {
	schema := &infer.Object{}
	schema.Set("type", "object")
	schema.Set("properties", map[string]any{"score": map[string]any{"type": "integer"}})
	for _, tc := range []struct {
		edit Edit
		want string
	}{
		{Edit{Op: "add", Path: "/properties/risk", Value: schema}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0},
    "risk": {
      "type": "object",
      "properties": {
        "score": {
          "type": "integer"
        }
      }
    }
  }
}
`},
		{Edit{Op: "add", Path: "/properties/status/enum/-", Value: "refunded"}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid",
        "refunded"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "add", Path: "/properties/meta/properties", Value: map[string]any{"k": map[string]any{"type": "string"}}}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {
      "properties": {
        "k": {
          "type": "string"
        }
      }
    },
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "add", Path: "/properties/amount/maximum", Value: 10}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0, "maximum": 10}
  }
}
`},
		{Edit{Op: "replace", Path: "/properties/id/type", Value: []any{"string", "null"}}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": [
        "string",
        "null"
      ]
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "replace", Path: "/properties/amount/type", Value: []any{"integer", "null"}}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": ["integer", "null"], "minimum": 0}
  }
}
`},
		{Edit{Op: "remove", Path: "/required/2"}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "remove", Path: "/required/0"}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "remove", Path: "/properties/status/enum/0"}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "remove", Path: "/properties/id/type"}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {},
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer", "minimum": 0}
  }
}
`},
		{Edit{Op: "remove", Path: "/properties/amount/minimum"}, `{
  "title": "a & b <c>",
  "type": "object",
  "required": ["id", "type", "created_at"],
  "properties": {
    "id": {
      "type": "string"
    },
    "status": {
      "enum": [
        "open",
        "paid"
      ]
    },
    "meta": {},
    "amount": {"type": "integer"}
  }
}
`},
	} {
		got, err := apply([]byte(doc), []Edit{tc.edit})
		require.NoError(t, err, "%s %s", tc.edit.Op, tc.edit.Path)
		assert.Equal(t, tc.want, string(got), "%s %s", tc.edit.Op, tc.edit.Path)
		assert.True(t, json.Valid(got))
	}
	for _, bad := range []Edit{
		{Op: "add", Path: "/nothing/here", Value: 1},
		{Op: "add", Path: "/required/x", Value: 1},
		{Op: "remove", Path: "/required/7"},
		{Op: "remove", Path: "/properties/none"},
		{Op: "move", Path: "/type"},
	} {
		_, err := apply([]byte(doc), []Edit{bad})
		assert.Error(t, err, "%s %s", bad.Op, bad.Path)
	}
}
