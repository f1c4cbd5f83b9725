// Package testenv holds what the tests of several packages share: the go
// command run in a throwaway module that uses this repository, a log
// buffer safe for concurrent writers, a free loopback address, and where
// the test databases are. Only tests import it.
package testenv
