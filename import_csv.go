package zohohub

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// The files of Import: which columns a job's CSV has, the cells of each
// record (the codecs' CSV form), the zip streamed to the upload, and the
// result CSV read back (docs/wire.md §7).

// importPlan is one kind of job of an Import: its operation, columns and
// records.
type importPlan[T any] struct {
	op      string // insert, update or upsert
	findBy  string // update and upsert: the field records are matched by
	columns []importColumn
	rows    []importRow[T]
}

// importColumn is one column of a job's CSV.
type importColumn struct {
	name string
	// field is the index of the mapped field in the type's fields, or
	// colID (the record's ID) or colSet (a value given to Model.Set).
	field  int
	format string
}

const (
	colID  = -1
	colSet = -2
)

// importRow is one record of a plan.
type importRow[T any] struct {
	index int // in the slice given to Import
	rec   *T
	m     *Model
	// send holds a bit per mapped field (by its index in the type's
	// fields): set when the record writes it, as Save would send it.
	send []uint64
}

func (row *importRow[T]) sends(field int) bool { return row.send[field/64]&(1<<(field%64)) != 0 }

// mappings are the job's field mappings: each column by its index.
func (p *importPlan[T]) mappings() []bulkFieldMapping {
	out := make([]bulkFieldMapping, len(p.columns))
	for j, col := range p.columns {
		out[j] = bulkFieldMapping{APIName: col.name, Index: j, Format: col.format}
	}
	return out
}

// planImport sorts records into the plans of their jobs (insert and update
// by id, or upsert) and chooses each plan's columns. A record that cannot
// be imported fails alone, one with nothing to send is unchanged; a plan
// with more columns than a file holds is an error, and nothing is sent.
func (rs *RecordSet[T]) planImport(records []*T, cfg importConfig, res *BatchResult) ([]*importPlan[T], error) {
	inserts, updates := &importPlan[T]{op: "insert"}, &importPlan[T]{op: "update", findBy: "id"}
	if cfg.upsertBy != "" {
		inserts = &importPlan[T]{op: "upsert", findBy: cfg.upsertBy}
	}
	fieldPos := make(map[string]int, len(rs.info.fields))
	for i, f := range rs.info.fields {
		fieldPos[f.apiName] = i
	}
	var scratch []byte
	for i, rec := range records {
		rr := &res.Results[i]
		*rr = RecordResult{Index: i}
		m, err := rs.prepare("Import", rec)
		if err != nil {
			rr.Action, rr.Err = ActionFailed, err
			continue
		}
		rr.ID = m.ID
		p := inserts
		if cfg.upsertBy == "" && !m.IsNew() {
			p = updates
		}
		row := importRow[T]{index: i, rec: rec, m: m, send: make([]uint64, (len(rs.info.fields)+63)/64)}
		sends, err := rs.importSends(&row, p.op == "update", fieldPos, &scratch)
		switch {
		case err != nil:
			rr.Action, rr.Err = ActionFailed, err
		case !sends:
			rr.Action = ActionUnchanged
		default:
			p.rows = append(p.rows, row)
		}
	}
	var plans []*importPlan[T]
	for _, p := range []*importPlan[T]{inserts, updates} {
		if len(p.rows) == 0 {
			continue
		}
		if err := rs.chooseColumns(p); err != nil {
			return nil, err
		}
		p.rows = rs.checkImportRows(p, cfg, res)
		plans = append(plans, p)
	}
	return plans, nil
}

// importSends marks the fields row writes: those Save would send (all
// non-empty ones for a new record, the changed ones for an update), from
// the very object Save would send, and checks that each is a CSV cell. An
// update that would clear a field is an error. sends is false when there
// is nothing to write.
func (rs *RecordSet[T]) importSends(row *importRow[T], update bool, fieldPos map[string]int, scratch *[]byte) (sends bool, err error) {
	var obj []byte
	if update {
		if obj, sends, err = rs.updateJSON(row.rec, row.m); err != nil || !sends {
			return false, err
		}
	} else if obj, err = rs.insertJSON(row.rec, row.m); err != nil {
		return false, err
	}
	sends = false
	v := reflect.ValueOf(row.rec).Elem()
	err = eachMember(obj, func(key, val []byte) error {
		name, err := unquote(key)
		if err != nil || name == "id" {
			return err
		}
		i, mapped := fieldPos[name]
		if !mapped { // given to Set
			if update && isNull(val) {
				err = errImportCannotClear
			} else {
				*scratch, err = jsonCell((*scratch)[:0], val)
			}
			if err != nil {
				return &FieldError{APIName: name, Err: err}
			}
			sends = true
			return nil
		}
		f := rs.info.fields[i]
		if update && isNull(val) {
			return f.errorf(errImportCannotClear)
		}
		if *scratch, err = f.codec.writeCell((*scratch)[:0], v.FieldByIndex(f.index)); err != nil {
			return f.errorf(err)
		}
		row.send[i/64] |= 1 << (i % 64)
		sends = true
		return nil
	})
	return sends, err
}

// chooseColumns sets the plan's columns: the id of an update by id, then
// every mapped field a record writes (in the type's order) and the field
// records are matched by, then the names given to Set (sorted).
func (rs *RecordSet[T]) chooseColumns(p *importPlan[T]) error {
	if p.findBy == "id" {
		p.columns = append(p.columns, importColumn{name: "id", field: colID})
	}
	for i, f := range rs.info.fields {
		used := f.apiName == p.findBy && f != rs.info.idField
		for r := 0; r < len(p.rows) && !used; r++ {
			used = p.rows[r].sends(i)
		}
		if used {
			p.columns = append(p.columns, importColumn{name: f.apiName, field: i, format: f.codec.cellFormat})
		}
	}
	setNames := map[string]bool{}
	for _, row := range p.rows {
		for name := range row.m.set {
			setNames[name] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(setNames)) {
		p.columns = append(p.columns, importColumn{name: name, field: colSet})
	}
	if !slices.ContainsFunc(p.columns, func(c importColumn) bool { return c.name == p.findBy }) && p.findBy != "" {
		return fmt.Errorf("zohohub: Import %s: %s is neither a field %T maps nor one given to Set, so no record can be matched by it", rs.info.module, quoteShort(p.findBy), *new(T))
	}
	if len(p.columns) > maxBulkWriteColumns {
		return fmt.Errorf("zohohub: Import %s: the records write %d fields; a Bulk Write file has at most %d columns: import fewer fields at a time", rs.info.module, len(p.columns), maxBulkWriteColumns)
	}
	return nil
}

// importCSV writes the rows of a job's CSV.
type importCSV struct {
	buf   bytes.Buffer // the last row written
	w     *csv.Writer
	cells []string
	text  []byte
	ends  []int
}

func newImportCSV(columns int) *importCSV {
	c := &importCSV{cells: make([]string, columns), ends: make([]int, columns)}
	c.w = csv.NewWriter(&c.buf)
	return c
}

// line returns the CSV line of cells.
func (c *importCSV) line(cells []string) ([]byte, error) {
	c.buf.Reset()
	if err := c.w.Write(cells); err != nil {
		return nil, err
	}
	c.w.Flush()
	return c.buf.Bytes(), c.w.Error()
}

// header returns the CSV line of the column names.
func (c *importCSV) header(columns []importColumn) ([]byte, error) {
	for j, col := range columns {
		c.cells[j] = col.name
	}
	return c.line(c.cells)
}

// importLine returns the CSV line of a record: each column's cell by its
// codec's CSV form, empty for a field the record does not write.
func (rs *RecordSet[T]) importLine(c *importCSV, p *importPlan[T], row *importRow[T]) ([]byte, error) {
	v := reflect.ValueOf(row.rec).Elem()
	c.text = c.text[:0]
	for j, col := range p.columns {
		var err error
		switch {
		case col.field == colID:
			c.text = append(c.text, row.m.ID...)
		case col.field == colSet:
			if raw, ok := row.m.set[col.name]; ok {
				if c.text, err = jsonCell(c.text, raw); err != nil {
					return nil, &FieldError{APIName: col.name, Err: err}
				}
			}
		case row.sends(col.field):
			f := rs.info.fields[col.field]
			if c.text, err = f.codec.writeCell(c.text, v.FieldByIndex(f.index)); err != nil {
				return nil, f.errorf(err)
			}
		}
		c.ends[j] = len(c.text)
	}
	text, start := string(c.text), 0
	for j, end := range c.ends {
		c.cells[j], start = text[start:end], end
	}
	return c.line(c.cells)
}

// checkImportRows writes each row's line once, before anything is sent:
// a record whose line alone is larger than a file may hold fails alone.
// It returns the rows that remain.
func (rs *RecordSet[T]) checkImportRows(p *importPlan[T], cfg importConfig, res *BatchResult) []importRow[T] {
	c := newImportCSV(len(p.columns))
	header, _ := c.header(p.columns)
	room := cfg.maxBytes - len(header)
	kept := p.rows[:0]
	for _, row := range p.rows {
		line, err := rs.importLine(c, p, &row)
		if err == nil && len(line) > room {
			err = fmt.Errorf("zohohub: Import %s: record %d is %d bytes of CSV, more than a Bulk Write file may hold", rs.info.module, row.index, len(line))
		}
		if err != nil {
			res.Results[row.index].Action, res.Results[row.index].Err = ActionFailed, err
			continue
		}
		kept = append(kept, row)
	}
	return kept
}

// writeImportFile writes the zip of one job's file: the header, then the
// first rows while the file holds at most cfg.maxRows and its CSV at most
// cfg.maxBytes. It is called again, and writes the same, when the upload
// is sent again.
func (rs *RecordSet[T]) writeImportFile(w *importFileWriter, p *importPlan[T], rows []importRow[T], cfg importConfig) error {
	zw := zip.NewWriter(w)
	entry, err := zw.Create(rs.info.module + ".csv")
	if err != nil {
		return err
	}
	c := newImportCSV(len(p.columns))
	line, err := c.header(p.columns)
	if err != nil {
		return err
	}
	size := len(line)
	if _, err := entry.Write(line); err != nil {
		return err
	}
	for k := range rows {
		if k == cfg.maxRows {
			break
		}
		line, err := rs.importLine(c, p, &rows[k])
		if err != nil {
			return err // checkImportRows wrote it once: not expected
		}
		if size+len(line) > cfg.maxBytes {
			break
		}
		if _, err := entry.Write(line); err != nil {
			return err
		}
		size += len(line)
		w.rows++
	}
	return zw.Close()
}

// importOutcome is one row of a job's result CSV.
type importOutcome struct {
	status, id, errors string
}

// settle downloads the job's result and settles each row by its outcome:
// row k of the result is row k of the file. The result must hold one row
// per row sent; anything else settles nothing and is an error.
func (r *importRun[T]) settle(ctx context.Context, p *importPlan[T], rows []importRow[T], jobID, resultURL, writePath string) error {
	c := r.rs.c
	u, label, err := c.bulkResultURL(resultURL)
	if err != nil {
		return err
	}
	file, err := c.downloadFrom(ctx, u, label, maxExportZipBytes)
	if err != nil {
		return err
	}
	defer file.Close()
	bad := func(why string) error {
		return badResponse(http.StatusOK, http.MethodGet, label, nil, "bulk write result: "+why)
	}
	cr, rc, err := zippedCSV(file, bad)
	if err != nil {
		return err
	}
	defer rc.Close()
	header, err := cr.Read()
	if err != nil {
		return bad("no header")
	}
	// The result echoes the file's first columns, then adds these three:
	// found from the end, lest a field have the same name.
	col := map[string]int{"STATUS": -1, "RECORD_ID": -1, "ERRORS": -1}
	for j := len(header) - 1; j >= 0; j-- {
		if k, ok := col[header[j]]; ok && k < 0 {
			col[header[j]] = j
		}
	}
	for name, j := range col {
		if j < 0 {
			return bad("no " + name + " column")
		}
	}
	outcomes := make([]importOutcome, 0, len(rows))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return bad(err.Error())
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(outcomes) == len(rows) {
			return bad(fmt.Sprintf("more rows than the %d sent", len(rows)))
		}
		outcomes = append(outcomes, importOutcome{status: rec[col["STATUS"]], id: rec[col["RECORD_ID"]], errors: rec[col["ERRORS"]]})
	}
	if len(outcomes) != len(rows) {
		return bad(fmt.Sprintf("%d rows for the %d sent", len(outcomes), len(rows)))
	}
	for k, o := range outcomes {
		r.settleRow(p, &rows[k], k, o, jobID, writePath)
	}
	return nil
}

// settleRow records the outcome of row k of a job's file. A record added
// or updated is believed only with a valid record id (the id sent, for an
// update by id); otherwise its outcome is unknown.
func (r *importRun[T]) settleRow(p *importPlan[T], row *importRow[T], k int, o importOutcome, jobID, writePath string) {
	rr, module := &r.res.Results[row.index], r.rs.info.module
	status := strings.ToUpper(strings.TrimSpace(o.status))
	switch status {
	case "ADDED", "UPDATED":
		id := strings.TrimSpace(o.id)
		why := ""
		switch {
		case !validID(id):
			why = "without a valid RECORD_ID: " + quoteShort(id)
		case p.op == "update" && (status == "ADDED" || id != row.m.ID):
			why = fmt.Sprintf("as record %s, but record %s was sent to be updated", quoteShort(id), row.m.ID)
		}
		if why != "" {
			bad := badResponse(http.StatusOK, http.MethodPost, writePath, nil, fmt.Sprintf("bulk write job %s: row %s %s", jobID, status, why))
			bad.Index = row.index
			rr.Action, rr.Err = ActionUnknown, &OutcomeUnknownError{Index: row.index, Position: k, Method: http.MethodPost, Path: writePath, Err: bad}
			return
		}
		rr.Action, rr.ID = ActionUpdated, id
		if status == "ADDED" {
			rr.Action = ActionCreated
		}
		if err := r.rs.applyDetails(row.rec, row.m, []byte(`{"id":"`+id+`"}`), nil, false); err != nil {
			row.m.ID = id // written as this record; the snapshot could not be taken
		}
	case "SKIPPED", "UNPROCESSED":
		err := skippedError(o.errors, status, jobID, writePath, row.index, k)
		rr.Action, rr.Err = ActionFailed, err
		if p.op == "update" && isNotFoundError(err) {
			rr.Err = notFound(module, row.m.ID, err)
		}
	default:
		bad := badResponse(http.StatusOK, http.MethodPost, writePath, nil, fmt.Sprintf("bulk write job %s: row in unknown STATUS %s", jobID, quoteShort(o.status)))
		bad.Index = row.index
		rr.Action, rr.Err = ActionUnknown, &OutcomeUnknownError{Index: row.index, Position: k, Method: http.MethodPost, Path: writePath, Err: bad}
	}
}

// skippedError is the error of a row the job skipped (or did not
// process), from its ERRORS cell: "CODE-Field", "CODE-Field1,Field2", or
// several such joined by ":" (docs/wire.md §7). Code and api_name are the
// first error's; details.errors lists them all when there are several.
func skippedError(cell, status, jobID, path string, index, k int) *APIError {
	e := &APIError{Method: http.MethodPost, Path: path, Index: index, Status: "error",
		Message: fmt.Sprintf("%s by bulk write job %s (row %d of its file)", strings.ToLower(status), jobID, k)}
	var all []any
	for part := range strings.SplitSeq(strings.TrimSpace(cell), ":") {
		code, fields, _ := strings.Cut(strings.TrimSpace(part), "-")
		if code == "" {
			continue
		}
		for field := range strings.SplitSeq(fields, ",") {
			if e.Code == "" {
				e.Code = code
				if field != "" {
					e.Details = map[string]any{"api_name": field}
				}
			}
			all = append(all, map[string]any{"code": code, "api_name": field})
		}
	}
	switch {
	case e.Code == "":
		e.Code = status // Zoho gave no reason
	case len(all) > 1:
		if e.Details == nil {
			e.Details = map[string]any{}
		}
		e.Details["errors"] = all
	}
	return e
}

// bulkResultURL checks the download_url of a bulk write result before the
// access token is sent to it: a path on the API domain, or an https URL
// (the API domain's scheme for a custom environment) on the API domain,
// the upload host or, for one of Zoho's data centres, a host of its
// domains (Zoho serves results from hosts such as download-accl.zoho.com,
// docs/wire.md §7). label is its path, for errors and logs.
func (c *Client) bulkResultURL(raw string) (u, label string, err error) {
	refuse := func(why string) (string, string, error) {
		return "", "", badResponse(http.StatusOK, http.MethodGet, "/crm/bulk/"+c.version+"/write", nil,
			fmt.Sprintf("bulk write download_url %s %s", quoteShort(raw), why))
	}
	pu, err := url.Parse(raw)
	if err != nil || pu.User != nil || pu.Fragment != "" {
		return refuse("is not a URL to download from")
	}
	if pu.Scheme == "" && pu.Host == "" {
		if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") {
			return refuse("is neither a path nor a URL")
		}
		return c.url(raw, nil), pu.Path, nil
	}
	api, _ := url.Parse(c.env.APIDomain)
	if pu.Scheme != "https" && pu.Scheme != api.Scheme {
		return refuse("is not https")
	}
	host := strings.ToLower(pu.Host)
	allowed := host == hostOf(c.env.APIDomain) || host == hostOf(c.env.UploadURL)
	if c.env.DataCenter != "" && pu.Port() == "" {
		for _, base := range []string{c.env.AccountsURL, c.env.APIDomain} {
			if _, domain, ok := strings.Cut(hostOf(base), "."); ok && strings.HasSuffix(host, "."+domain) {
				allowed = true
			}
		}
	}
	if !allowed {
		return refuse("is not on a host of Zoho's for this environment")
	}
	return pu.String(), pu.Path, nil
}

// hostOf is the host (and port) of a URL, lower case; "" when it has none.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
