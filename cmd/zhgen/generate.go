package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zohohub/zohohub/internal/gen"
	"github.com/zohohub/zohohub/schema"
)

const generateUsage = `zhgen generates typed Go structs for Zoho CRM modules from the org's metadata.

Usage:
  zhgen -metadata DIR [-modules A,B] [-pkg NAME] [-out DIR] [-check]
  zhgen -live (-access-token T | -token-store STORE -client-id ID) [-api-domain URL | -dc DC] [-dump DIR] [...]
  zhgen auth --help

Each module becomes one file (account.go, contact.go, ...) holding a struct that
embeds zohohub.Model, with the exact API name in every field's zoho tag, picklist
types and constants, and typed field helpers for queries:

  Account                      struct of module Accounts
  AccountIndustry              field helper of field Industry
  AccountIndustryValue         type of the picklist Industry
  AccountIndustryValueBanking  one of its values
  QuoteQuotedItemsRow          row of the subform Quoted_Items

Metadata comes from a directory shaped like Zoho's responses (modules.json,
fields/<Module>.json; spec/metadata is one), or from a live org or running
zhemu with -live. Use -live -dump DIR once, commit DIR, and let go generate run
offline from it; with DIR zoho-metadata and -out crm, crm/generate.go holds:

  //go:generate go run github.com/zohohub/zohohub/cmd/zhgen -q -metadata ../zoho-metadata -pkg crm -out .

-check writes nothing; it exits 1 naming each file that differs from what would be
generated, with the fields added, removed or renamed. Writes are all or nothing.
Secrets may be given in the environment instead of flags: ZOHO_ACCESS_TOKEN,
ZOHO_CLIENT_SECRET, ZOHO_GRANT_TOKEN.

Flags:
`

type generateFlags struct {
	metadata, pkg, out, dump string
	decimal                  string
	modules                  stringList
	rename                   renameFlag
	check, quiet             bool
	live                     liveFlags
}

func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f generateFlags
	fs := flag.NewFlagSet(programName, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), generateUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&f.metadata, "metadata", "", "read metadata from `DIR` (modules.json, fields/<Module>.json)")
	fs.Var(&f.modules, "modules", "generate only these modules, by API name: `Leads,Contacts` (default: all with fields)")
	fs.StringVar(&f.pkg, "pkg", gen.DefaultPackage, "package `name` of the generated files")
	fs.StringVar(&f.out, "out", ".", "write the generated files into `DIR`")
	fs.BoolVar(&f.check, "check", false, "write nothing; exit 1 if the files in -out differ from what would be generated")
	fs.StringVar(&f.dump, "dump", "", "write the metadata read (normally with -live) into `DIR`, for offline runs")
	fs.Var(&f.rename, "rename", "set a field's Go name, resolving a collision: `Module.Api_Name=GoName` (repeatable)")
	fs.StringVar(&f.decimal, "decimal", string(gen.DecimalExact), "Go type of currency and decimal fields: `exact` (zohohub.Decimal, every digit Zoho keeps) or float (float64)")
	fs.BoolVar(&f.quiet, "q", false, "print no progress or warnings")
	f.live.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", programName, fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	decimal, err := gen.ParseDecimalMode(f.decimal)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", programName, err)
		return errUsage
	}
	explicit := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { explicit[fl.Name] = true })
	if f.live.enabled == (f.metadata != "") {
		fmt.Fprintf(stderr, "%s: give exactly one of -metadata DIR and -live\n", programName)
		return errUsage
	}
	progress := func(msg string) {
		if !f.quiet {
			fmt.Fprintf(stderr, "%s: %s\n", programName, msg)
		}
	}

	var meta schema.Metadata
	if f.live.enabled {
		snap, err := f.live.fetch(ctx, f.modules, progress)
		if err != nil {
			return err
		}
		if f.dump != "" {
			if err := gen.Dump(f.dump, snap); err != nil {
				return err
			}
			progress(fmt.Sprintf("wrote %d metadata files to %s", len(snap), f.dump))
			if !explicit["out"] && !f.check {
				return nil // -dump alone: fetch and save, generate later from the files
			}
		}
		if meta, err = snap.Decode(); err != nil {
			return err
		}
	} else {
		var err error
		if meta, err = schema.LoadDir(f.metadata); err != nil {
			return err
		}
		if f.dump != "" {
			snap, err := schema.ReadSnapshot(os.DirFS(f.metadata))
			if err != nil {
				return err
			}
			if err := gen.Dump(f.dump, snap); err != nil {
				return err
			}
		}
	}

	files, err := gen.Generate(meta, gen.Config{
		Package: f.pkg, Modules: f.modules, Rename: f.rename, Decimal: decimal,
		Warn: func(msg string) { progress("warning: " + msg) },
	})
	if err != nil {
		return err
	}
	wholeSet := len(f.modules) == 0
	if f.check {
		diffs, err := gen.Check(f.out, files, wholeSet)
		if err != nil {
			return err
		}
		for _, d := range diffs {
			fmt.Fprintf(stderr, "%s: %s\n", programName, d)
		}
		if len(diffs) > 0 {
			fmt.Fprintf(stderr, "%s: %d of %d generated files are out of date; run go generate\n", programName, len(diffs), len(files))
			return errCheckFailed
		}
		progress(fmt.Sprintf("%d generated files in %s are up to date", len(files), f.out))
		return nil
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return fmt.Errorf("cannot create output directory: %w", err)
	}
	var stale []string
	if wholeSet {
		if stale, err = gen.StaleFiles(f.out, files); err != nil {
			return err
		}
	}
	byName := make(map[string][]byte, len(files))
	for _, file := range files {
		byName[file.Name] = file.Data
	}
	if err := gen.WriteFiles(f.out, byName); err != nil {
		return err
	}
	for _, path := range stale {
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("removing stale generated file: %w", err)
		}
		progress("removed " + path + " (module no longer generated)")
	}
	progress(fmt.Sprintf("wrote %d files to %s", len(files), filepath.Clean(f.out)))
	_ = stdout
	return nil
}

// stringList is a comma-separated list flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*s = append(*s, part)
		}
	}
	return nil
}

// renameFlag collects Module.Api_Name=GoName pairs.
type renameFlag map[string]string

func (r *renameFlag) String() string { return fmt.Sprint(map[string]string(*r)) }

func (r *renameFlag) Set(v string) error {
	key, name, ok := strings.Cut(v, "=")
	if !ok || !strings.Contains(key, ".") || name == "" {
		return errors.New("want Module.Api_Name=GoName")
	}
	if *r == nil {
		*r = renameFlag{}
	}
	(*r)[key] = name
	return nil
}
