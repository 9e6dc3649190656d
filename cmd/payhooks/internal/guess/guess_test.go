package guess

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIDScoreRanksTheDeliverysOwnIDFirst(t *testing.T) {
	for name, want := range map[string]int{
		"id": 4, "ID": 4,
		"webhook_notification_id": 3, "deliveryId": 3, "message_id": 3,
		"eventId": 2, "event_id": 2,
		"order_id": 1, "checkoutId": 1,
		"type": 0, "paid": 0,
	} {
		assert.Equal(t, want, IDScore(name), name)
	}
	assert.GreaterOrEqual(t, IDScore("eventId"), NamedID, "an event id names a delivery")
	assert.Less(t, IDScore("order_id"), NamedID, "an order id does not")
}

func TestNamesEvents(t *testing.T) {
	for _, name := range []string{"type", "event_name", "eventCode", "Kind"} {
		assert.True(t, NamesEvents(name), name)
	}
	assert.False(t, NamesEvents("status"))
}

func TestLargestIsTheOneLargest(t *testing.T) {
	assert.Equal(t, "data", Largest(map[string]int{"data": 12, "meta": 3}))
	assert.Equal(t, "", Largest(map[string]int{"a": 3, "b": 3}), "a tie names no subject")
	assert.Equal(t, "", Largest(map[string]int{}))
	assert.Equal(t, "", Largest(map[string]int{"a": 3, "b": 3, "c": 1}))
	assert.Equal(t, "c", Largest(map[string]int{"a": 3, "b": 3, "c": 4}), "a tie below the largest does not count")
}
