package zohotest

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
)

// Files the server keeps: the attachments of records
// ({module}/{id}/Attachments, spec/oas/attachments.json), their photos
// ({module}/{id}/photo, record_photo.json) and the file store behind file
// upload fields (/files, files.json). Uploads are multipart bodies the
// handlers read as they arrive (streamedRoutes) into files of a temporary
// directory, and downloads are served from there, so that a file costs
// the server no memory of its size.

// Zoho's size limits: 20 MB an attachment or stored file, 10 MB a photo.
const (
	maxAttachmentSize = 20 << 20
	maxPhotoSize      = 10 << 20
)

// attachmentsList is the related list of every record's attachments.
const attachmentsList = "Attachments"

// photoModules are the modules whose records have a photo.
var photoModules = []string{"Leads", "Contacts", "Accounts", "Products", "Vendors"}

// streamedRoutes are the routes whose handlers read the request body
// themselves, as it arrives: ServeHTTP neither reads nor logs it.
var streamedRoutes = []string{
	"POST /crm/v8/{module}/{id}/Attachments",
	"POST /crm/v8/{module}/{id}/photo",
	"POST /crm/v8/files",
	"POST /crm/v8/upload", // bulkwrite.go
}

// streamsBody reports whether e's handler reads the body itself.
func (e *routeEntry) streamsBody() bool { return e != nil && slices.Contains(streamedRoutes, e.key()) }

// blob is a file the server keeps on disk.
type blob struct {
	path string
	name string
	size int64
}

// attachment is a file or a link attached to a record.
type attachment struct {
	id       string
	parent   recordRef
	name     string
	file     *blob  // nil for a link
	link     string // the address of a link
	created  string
	createdB map[string]any
}

// fileStore holds attachments, photos and stored files.
type fileStore struct {
	mu          sync.Mutex
	dir         string        // made on the first upload, removed by close
	attachments []*attachment // in id order
	photos      map[recordRef]*blob
	files       map[string]*blob // by file store id
}

func newFileStore() *fileStore {
	return &fileStore{photos: map[recordRef]*blob{}, files: map[string]*blob{}}
}

// close removes the files kept.
func (fs *fileStore) close() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.dir != "" {
		os.RemoveAll(fs.dir)
		fs.dir = ""
	}
}

// errParamMissing is Zoho's answer to a request without a parameter it
// needs, naming it as common.json's ParamDetails does (param_name and
// param).
func errParamMissing(name string) *zerr {
	return newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": name, "param": name})
}

// errTooLarge is the answer to a file past its limit.
func errTooLarge(limit int64) *zerr {
	return newErr(http.StatusRequestEntityTooLarge, "FILE_TOO_LARGE", "File size too large to process", map[string]any{"limit": limit})
}

// save copies r, at most limit bytes, into a new file of the store. A
// larger r is errTooLarge and nothing is kept.
func (fs *fileStore) save(name string, r io.Reader, limit int64) (*blob, *zerr) {
	fs.mu.Lock()
	if fs.dir == "" {
		dir, err := os.MkdirTemp("", "zohotest-files-")
		if err != nil {
			fs.mu.Unlock()
			return nil, newErr(500, "INTERNAL_ERROR", err.Error(), nil)
		}
		fs.dir = dir
	}
	dir := fs.dir
	fs.mu.Unlock()
	f, err := os.CreateTemp(dir, "blob-")
	if err != nil {
		return nil, newErr(500, "INTERNAL_ERROR", err.Error(), nil)
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case n > limit:
		os.Remove(f.Name())
		return nil, errTooLarge(limit)
	case err != nil:
		os.Remove(f.Name())
		return nil, newErr(400, "INVALID_DATA", "the file could not be read: "+err.Error(), map[string]any{"api_name": "file"})
	}
	return &blob{path: f.Name(), name: name, size: n}, nil
}

// serveBlob answers a kept file's bytes.
func serveBlob(w http.ResponseWriter, b *blob, contentType string) {
	f, err := os.Open(b.path)
	if err != nil {
		writeErr(w, newErr(500, "INTERNAL_ERROR", err.Error(), nil))
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+url.PathEscape(b.name)+"\"")
	w.Header().Set("Content-Length", strconv.FormatInt(b.size, 10))
	w.WriteHeader(http.StatusOK)
	io.Copy(w, f)
}

// filePart reads a multipart body up to its part "file" and returns it;
// form values before it (attachmentUrl, title) are returned too. No part
// file is not an error: part is nil.
func (c *call) filePart() (part *multipart.Part, values url.Values, err error) {
	values = url.Values{}
	mr, err := c.r.MultipartReader()
	if err != nil {
		return nil, values, err
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, values, nil
		}
		if err != nil {
			return nil, values, err
		}
		if p.FormName() == "file" {
			return p, values, nil
		}
		v, _ := io.ReadAll(io.LimitReader(p, 4096))
		values.Add(p.FormName(), string(v))
	}
}

// recordExists answers INVALID_DATA for a path whose record does not
// exist.
func (c *call) recordExists() bool {
	if _, ok := c.s.records.get(c.moduleName, c.pathID); !ok {
		c.fail(newErr(400, "INVALID_DATA", "the related id given seems to be invalid", map[string]any{"resource_path_index": 1}))
		return false
	}
	return true
}

// addAttachment answers POST {module}/{id}/Attachments: a file as part
// "file" (≤20 MB), or a link as attachmentUrl (query or form) with an
// optional title.
func (c *call) addAttachment() {
	if !c.recordExists() {
		return
	}
	s := c.s
	a := &attachment{parent: recordRef{c.moduleName, c.pathID}, created: zohoTime(s.cfg.now()), createdB: s.currentUserRef()}
	link, title := c.q.Get("attachmentUrl"), c.q.Get("title")
	if link == "" {
		part, values, err := c.filePart()
		if err != nil && !errors.Is(err, http.ErrNotMultipart) {
			c.fail(newErr(400, "INVALID_DATA", "the multipart body could not be read", map[string]any{"api_name": "file"}))
			return
		}
		link, title = values.Get("attachmentUrl"), values.Get("title")
		if part != nil {
			b, zerr := s.files.save(part.FileName(), part, maxAttachmentSize)
			if zerr != nil {
				c.fail(zerr)
				return
			}
			a.file, a.name = b, part.FileName()
		}
	}
	if a.file == nil {
		u, err := url.Parse(link)
		if link == "" || err != nil || u.Host == "" {
			c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "file"}))
			return
		}
		a.link, a.name = link, title
		if a.name == "" {
			a.name = link
		}
	}
	a.id = s.records.newID()
	fs := s.files
	fs.mu.Lock()
	fs.attachments = append(fs.attachments, a)
	fs.mu.Unlock()
	by := map[string]any{"name": a.createdB["name"], "id": a.createdB["id"]}
	writeJSON(c.w, 200, map[string]any{"data": []any{map[string]any{"code": "SUCCESS", "message": "attachment uploaded successfully", "status": "success",
		"details": map[string]any{"id": a.id, "Created_Time": a.created, "Modified_Time": a.created, "Created_By": by, "Modified_By": by}}}})
}

// attachmentsOf returns the attachments of a record, newest first.
func (fs *fileStore) attachmentsOf(r recordRef) []*attachment {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []*attachment
	for _, a := range slices.Backward(fs.attachments) {
		if a.parent == r {
			out = append(out, a)
		}
	}
	return out
}

// attachmentFields are the members of an attachment that the fields
// parameter may name.
var attachmentFields = []string{"File_Name", "Size", "Parent_Id", "Owner", "Created_By", "Modified_By", "Created_Time", "Modified_Time"}

// record is the attachment as GET …/Attachments lists it.
func (s *Server) attachmentRecord(a *attachment, module string) map[string]any {
	parent, _ := s.records.get(a.parent.module, a.parent.id)
	size, typ := "0", "Link URL"
	var link any
	fileID := ""
	if a.file != nil {
		size, typ, fileID = strconv.FormatInt(a.file.size, 10), "Attachment", "f"+a.id
	} else {
		link = a.link
	}
	return map[string]any{"id": a.id, "File_Name": a.name, "Size": size, "Created_Time": a.created, "Modified_Time": a.created,
		"Owner": a.createdB, "Created_By": a.createdB, "Modified_By": a.createdB,
		"Parent_Id":  map[string]any{"id": a.parent.id, "name": parent[s.meta.displayField(module)]},
		"$se_module": a.parent.module, "$file_id": fileID, "$type": typ, "$state": "save", "$editable": true,
		"$link_url": link, "$sharing_permission": "full_access", "$attachment_type": 1}
}

// listAttachments answers GET {module}/{id}/Attachments: fields required
// (v3+), 200 a page, 204 when there are none.
func (c *call) listAttachments(module, id string) {
	raw := c.q.Get("fields")
	if raw == "" && c.major >= 3 {
		c.fail(errParamMissing("fields"))
		return
	}
	var keys []string
	if raw != "" {
		for _, f := range splitIDs(raw) {
			if !slices.Contains(attachmentFields, f) && f != "id" {
				c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "fields", "api_name": f}))
				return
			}
			keys = append(keys, f)
		}
	}
	perPage, page, ok := c.pageParams()
	if !ok {
		return
	}
	all := c.s.files.attachmentsOf(recordRef{module, id})
	offset := (page - 1) * perPage
	if offset >= len(all) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := min(offset+perPage, len(all))
	data := make([]any, 0, end-offset)
	for _, a := range all[offset:end] {
		rec := c.s.attachmentRecord(a, module)
		if keys != nil {
			picked := map[string]any{"id": rec["id"]}
			for k, v := range rec {
				if k[0] == '$' || slices.Contains(keys, k) {
					picked[k] = v
				}
			}
			rec = picked
		}
		data = append(data, rec)
	}
	writeJSON(c.w, 200, map[string]any{"data": data, "info": map[string]any{"per_page": perPage, "count": len(data), "page": page, "more_records": end < len(all)}})
}

// getAttachments answers GET {module}/{id}/Attachments.
func (c *call) getAttachments() {
	if c.recordExists() {
		c.listAttachments(c.moduleName, c.pathID)
	}
}

// attachment returns the attachment id of the path's record.
func (fs *fileStore) attachment(r recordRef, id string) (*attachment, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	i := slices.IndexFunc(fs.attachments, func(a *attachment) bool { return a.id == id && a.parent == r })
	if i < 0 {
		return nil, false
	}
	return fs.attachments[i], true
}

// downloadAttachment answers GET {module}/{id}/Attachments/{attachment_id}
// with the file's bytes; a link has none (204).
func (c *call) downloadAttachment() {
	if !c.recordExists() {
		return
	}
	a, ok := c.s.files.attachment(recordRef{c.moduleName, c.pathID}, c.r.PathValue("attachment_id"))
	switch {
	case !ok:
		c.fail(newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"resource_path_index": 3}))
	case a.file == nil:
		c.w.WriteHeader(http.StatusNoContent)
	default:
		serveBlob(c.w, a.file, "application/octet-stream")
	}
}

// deleteAttachments answers DELETE {module}/{id}/Attachments?ids= and
// …/Attachments/{attachment_id}: "record deleted" per attachment.
func (c *call) deleteAttachments() {
	if !c.recordExists() {
		return
	}
	ids, ok := c.idsToDelete("attachment_id")
	if !ok {
		return
	}
	parent := recordRef{c.moduleName, c.pathID}
	fs := c.s.files
	items := make([]any, len(ids))
	failed := 0
	for i, id := range ids {
		removed := fs.remove(func(a *attachment) bool { return a.id == id && a.parent == parent })
		if removed == 0 {
			failed++
			items[i] = newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"id": id}).envelope()
			continue
		}
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "record deleted", "status": "success"}
	}
	writeJSON(c.w, batchStatus(len(ids)-failed, failed, 200), map[string]any{"data": items})
}

// remove deletes the attachments drop selects, and their files, and
// returns how many.
func (fs *fileStore) remove(drop func(*attachment) bool) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	fs.attachments = slices.DeleteFunc(fs.attachments, func(a *attachment) bool {
		if !drop(a) {
			return false
		}
		if a.file != nil {
			os.Remove(a.file.path)
		}
		n++
		return true
	})
	return n
}

// dropRecord removes a deleted record's attachments and photo.
func (fs *fileStore) dropRecord(r recordRef) {
	fs.remove(func(a *attachment) bool { return a.parent == r })
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if b, ok := fs.photos[r]; ok {
		os.Remove(b.path)
		delete(fs.photos, r)
	}
}

// photoRecord checks a photo call: a module whose records have photos, and
// the record exists.
func (c *call) photoRecord() (recordRef, bool) {
	if !slices.Contains(photoModules, c.moduleName) {
		c.fail(errInvalidModule(map[string]any{"resource_path_index": 0}))
		return recordRef{}, false
	}
	return recordRef{c.moduleName, c.pathID}, c.recordExists()
}

// photo answers GET, POST and DELETE {module}/{id}/photo.
func (c *call) photo() {
	r, ok := c.photoRecord()
	if !ok {
		return
	}
	fs := c.s.files
	switch c.r.Method {
	case http.MethodGet:
		fs.mu.Lock()
		b, has := fs.photos[r]
		fs.mu.Unlock()
		if !has {
			c.w.WriteHeader(http.StatusNoContent)
			return
		}
		serveBlob(c.w, b, "image/png")
	case http.MethodPost:
		part, _, err := c.filePart()
		if err != nil || part == nil {
			c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "file"}))
			return
		}
		b, zerr := fs.save(part.FileName(), part, maxPhotoSize)
		if zerr != nil {
			c.fail(zerr)
			return
		}
		fs.mu.Lock()
		if old, had := fs.photos[r]; had {
			os.Remove(old.path)
		}
		fs.photos[r] = b
		fs.mu.Unlock()
		writeJSON(c.w, 200, map[string]any{"code": "SUCCESS", "details": map[string]any{}, "message": "photo uploaded successfully", "status": "success"})
	case http.MethodDelete:
		fs.mu.Lock()
		b, had := fs.photos[r]
		delete(fs.photos, r)
		fs.mu.Unlock()
		if !had {
			c.fail(newErr(400, "INVALID_DATA", "the record has no photo", map[string]any{"resource_path_index": 2}))
			return
		}
		os.Remove(b.path)
		writeJSON(c.w, 200, map[string]any{"code": "SUCCESS", "details": map[string]any{}, "message": "photo deleted", "status": "success"})
	}
}

// uploadFiles answers POST /files: each part "file" (≤20 MB) is stored
// and answered with its id, which a file upload or image upload field
// takes as File_Id__s.
func (c *call) uploadFiles() {
	mr, err := c.r.MultipartReader()
	if err != nil {
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "file"}))
		return
	}
	fs := c.s.files
	var items []any
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.fail(newErr(400, "INVALID_DATA", "the multipart body could not be read", map[string]any{"api_name": "file"}))
			return
		}
		if p.FormName() != "file" {
			continue
		}
		b, zerr := fs.save(p.FileName(), p, maxAttachmentSize)
		if zerr != nil {
			if zerr.Code == "FILE_TOO_LARGE" {
				zerr = newErr(400, "FILE_SIZE_MORE_THAN_ALLOWED_SIZE", "File size is more than the allowed size", map[string]any{"limit": maxAttachmentSize})
			}
			c.fail(zerr)
			return
		}
		id := "zf" + c.s.records.newID()
		fs.mu.Lock()
		fs.files[id] = b
		fs.mu.Unlock()
		items = append(items, map[string]any{"code": "SUCCESS", "details": map[string]any{"name": b.name, "id": id}, "message": "file uploaded", "status": "success"})
	}
	if len(items) == 0 {
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "file"}))
		return
	}
	writeJSON(c.w, 200, map[string]any{"data": items})
}

// downloadFile answers GET /files?id=.
func (c *call) downloadFile() {
	id := c.q.Get("id")
	if id == "" {
		c.fail(errParamMissing("id"))
		return
	}
	fs := c.s.files
	fs.mu.Lock()
	b, ok := fs.files[id]
	fs.mu.Unlock()
	if !ok {
		c.fail(newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"param_name": "id"}))
		return
	}
	serveBlob(c.w, b, "application/x-download")
}

// attachmentScope is what a call on a record's attachments or photo
// needs: op on the record's module.
func attachmentScope(op string) scopeRule { return recordScope(op) }
