package main

import (
	"errors"
	"strings"

	"github.com/manifestctl/manifestctl/validate"
)

// notDoneError is the closing message (exit 2) of a command that went on
// after some paths could not be read or some files could not be written:
// "1 path could not be read and 2 files could not be written (listed
// above); the others were checked". The last part is there only when
// others (the files processed in full) is not zero and done says what was
// done to them: a command that processed nothing else, or that only listed
// files (fmt -l), does not claim to have done something to "the others".
func notDoneError(unread, unwritten, others int, done string) error {
	var parts []string
	if unread > 0 {
		parts = append(parts, plural(unread, "path")+" could not be read")
	}
	if unwritten > 0 {
		parts = append(parts, plural(unwritten, "file")+" could not be written")
	}
	msg := strings.Join(parts, " and ") + " (listed above)"
	if others > 0 && done != "" {
		msg += "; the others were " + done
	}
	return inputError(errors.New(msg))
}

// inputErrorReason is the message of a path that could not be read in a
// report's errors list: the reason alone ("no such file or directory"),
// since the path is a field of its own — the same in validate and
// permissions scan. Standard error still says "read PATH: reason".
func inputErrorReason(err error) string {
	var re *validate.ReadError
	if errors.As(err, &re) {
		return re.Err.Error()
	}
	return err.Error()
}

// notFixedError closes validate --fix when some of its files files could
// not be written: they are reported as they are.
func notFixedError(unwritten, files int) error {
	msg := plural(unwritten, "file") + " could not be written (listed above): reported as "
	if unwritten == 1 {
		msg += "it is"
	} else {
		msg += "they are"
	}
	if files > unwritten {
		msg += "; the others were fixed"
	}
	return inputError(errors.New(msg))
}
