// Package demo is what the example programs share around their subject:
// choosing the org (the embedded Zoho CRM emulator of package zohotest
// when no data centre is given, else a real org there), a token file that
// lasts the run when none is named, and main's exit on error.
package demo
