// Package report writes the results of payhooks validate in the formats
// people and CI tools read: text (colour on a terminal), json (the drift
// contract's one document, schema in report.schema.json), junit, github
// workflow annotations and sarif (baselined findings kept as suppressed).
// Summary and Tally total a run. It is the CLI's: generated code checks drift
// with package validate alone and links none of this.
package report
