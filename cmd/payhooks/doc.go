/*
Payhooks checks payment-provider webhook payloads against their schemas and
reports drift: what a provider sent that its schema does not describe. It
ships schemas for Finmo, Rapyd, Tazapay and Augustus checkout webhooks, embedded
in the binary, and works the same on a folder of a user's own.

Usage:

	payhooks validate [flags] PATH...

# validate

Validate reads every PATH: a .json file is one payload; .ndjson and .jsonl
files hold one payload a line; a *.capture.json file (written by payhooks
listen) holds a captured delivery, whose request path also names the
provider; a directory is read recursively in lexical order (symbolic links
are followed, loops reported); "-" reads stdin, as NDJSON when its first line
is a JSON value on its own, otherwise as one document. Files are streamed and
checked in parallel; results come out in input order.

The provider and event are detected from each payload (Finmo event_name,
Rapyd and Tazapay type, Augustus its request path or type); -provider and
-event override detection.

Every finding has a JSON pointer, a kind and a severity:

	missing_required      breaking  a required property is absent
	type_mismatch         breaking  another JSON type, null where not allowed, or no union variant fits
	invalid_json          breaking  the payload does not parse
	unknown_enum_value    warning   a string outside a documented enum
	unknown_event         warning   an event type the schemas do not know
	constraint_violation  warning   format, pattern, length or range not met
	duplicate_key         warning   a name twice in one object
	unknown_property      info      a property the schema does not declare

Flags:

	-format text|json|junit|github|sarif
	      report format (default text; colour only on a terminal, never with NO_COLOR)
	-fail-on breaking|warning|info
	      exit 1 when a finding is at least this severe (default breaking)
	-provider NAME, -event NAME
	      skip detection
	-schemas DIR
	      validate against the schemas in DIR instead of the bundled ones
	-baseline FILE
	      suppress findings FILE accepts (same provider, event, pointer and kind)
	-write-baseline FILE
	      write every finding of this run to FILE as accepted, and exit 0
	-workers N
	      payloads checked at once (default: the number of CPUs)
	-v    list clean payloads in text output too

Exit status: 0 when nothing is at or above -fail-on, 1 when something is,
2 when the command could not run (bad flags, a path that cannot be read; the
other inputs are still checked and reported).

Examples:

	payhooks validate captures/
	payhooks validate -format github -fail-on warning captures/ >> "$GITHUB_STEP_SUMMARY"
	payhooks validate -format sarif captures/ > drift.sarif
	payhooks validate -write-baseline .payhooks-baseline.json captures/
	payhooks validate -baseline .payhooks-baseline.json captures/
	cat delivery.json | payhooks validate -provider rapyd -
*/
package main
