#!/usr/bin/env bash
# The main job on the bundled data, as `make demo` runs it:
#   1. validate the bundled examples (clean),
#   2. validate the providers' own doc samples (drift: some contradict their
#      own spec, so this step exits 1, as documented),
#   3. print the same drift as GitHub annotations,
#   4. receive signed deliveries with `payhooks listen`, sent by
#      `payhooks send` (an Adyen one, keyed on its body, twice: the copy is
#      a duplicate), capture them, and validate the captures.
#
# Usage: demo/demo.sh [path to the payhooks binary]   (default bin/payhooks)
# Run it from the repository root. It writes only to a temporary folder.
set -u

bin=${1:-bin/payhooks}

# Demo secrets: listen verifies with them and send signs with them.
export PAYHOOKS_FINMO_TOKEN=demo-token
export PAYHOOKS_RAPYD_ACCESS_KEY=demo-access PAYHOOKS_RAPYD_SECRET_KEY=demo-secret
export PAYHOOKS_TAZAPAY_SECRET=demo-secret PAYHOOKS_AUGUSTUS_SECRET=demo-secret
# Adyen's HMAC keys are hex (imported from Adyen's own OpenAPI documents).
export PAYHOOKS_ADYENTRANSFER_SECRET=44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550aae0f5ddc8f1d3c

# show prints a command as a user would type it.
show() { printf '$ %s\n' "$*"; }

show 'payhooks validate -v schemas/*/examples'
"$bin" validate -v schemas/*/examples || exit
echo

show "payhooks validate schemas/*/drift    # the providers' own doc samples: some contradict their own spec"
"$bin" validate schemas/*/drift || echo "(exit status $?: breaking drift found, as documented)"
echo

show 'payhooks validate -format github schemas/tazapay/drift/checkout.paid-old-shape.json'
"$bin" validate -format github schemas/tazapay/drift/checkout.paid-old-shape.json
echo

dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

show 'payhooks listen -dir captures/ &    # secrets from PAYHOOKS_* variables'
"$bin" listen -addr 127.0.0.1:0 -dir "$dir/captures" >"$dir/listen.out" 2>"$dir/listen.err" &
pid=$!
# listen picks a free port and says which on stderr: "… on http://…, …".
url=
for _ in $(seq 50); do
	url=$(sed -n 's/.* on \(http:[^,]*\),.*/\1/p' "$dir/listen.err")
	[ -n "$url" ] && break
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "demo: payhooks listen did not start:" >&2
	cat "$dir/listen.err" >&2
	exit 1
fi

show 'payhooks send -provider rapyd -event PAYMENT_COMPLETED -count 3 $URL'
"$bin" send -provider rapyd -event PAYMENT_COMPLETED -count 3 "$url" || exit
show 'payhooks send -provider tazapay -file schemas/tazapay/drift/checkout.paid-old-shape.json $URL'
"$bin" send -provider tazapay -file schemas/tazapay/drift/checkout.paid-old-shape.json "$url"
show 'payhooks send -provider adyentransfer -event balancePlatform.transfer.updated -count 2 $URL    # no delivery id: keyed on the body, so the copy is a duplicate'
"$bin" send -provider adyentransfer -event balancePlatform.transfer.updated -count 2 "$url" || exit

# Ctrl-C: listen finishes the deliveries in flight, then exits.
kill -INT "$pid"
wait "$pid"
pid=
echo '(what listen printed, one line per delivery:)'
sed 's/^/  /' "$dir/listen.out"

show 'payhooks validate captures/'
"$bin" validate "$dir/captures" | sed "s|$dir/||"
exit 0
