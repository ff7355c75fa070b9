// Package report renders validation results in the formats CI systems and
// people read. Every format implements Formatter; New picks one by name and
// Names lists them for flag help. Formatters are pure: they write the report
// they are given and decide nothing about exit codes.
package report
