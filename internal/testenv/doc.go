// Package testenv holds what the tests of several packages share: the go
// command run in a throwaway module that uses this repository, and a log
// buffer safe for concurrent writers. Only tests import it.
package testenv
