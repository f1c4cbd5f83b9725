package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Attachments of a record: files and links listed, added, downloaded and
// deleted through {module}/{id}/Attachments (spec/oas/attachments.json).

// maxAttachmentBytes is the largest file Zoho attaches to a record or
// takes in POST /files: 20 MB (Zoho's Upload an Attachment and Upload
// Files pages).
const maxAttachmentBytes = 20 << 20

// attachmentsList is the API name of every record's related list of
// attachments.
const attachmentsList = "Attachments"

// Attachment is a file or link attached to a record, as Zoho lists it.
// Every field is Zoho's to set.
type Attachment struct {
	Model
	FileName string `zoho:"File_Name,readonly"`
	// Size is the file's size in bytes; 0 for a link.
	Size int64 `zoho:"Size,readonly"`
	// ParentID and ParentModule name the record it is attached to.
	ParentID     Lookup `zoho:"Parent_Id,readonly"`
	ParentModule string `zoho:"$se_module,readonly"`
	// FileID is the file's id in Zoho's file store; LinkURL the address of
	// an attached link.
	FileID  string `zoho:"$file_id,readonly"`
	LinkURL string `zoho:"$link_url,readonly"`
}

// ZohoModule returns "Attachments", the related list attachments are
// listed by.
func (Attachment) ZohoModule() string { return attachmentsList }

// Attachments returns a query over parent's attachments (GET
// {module}/{id}/Attachments), newest first, paged as any related list.
func Attachments[P any](c *Client, parent *P) Query[Attachment] {
	return Related(c, parent, RelatedList[P, Attachment](attachmentsList))
}

// Attach uploads a file and attaches it to parent (POST
// {module}/{id}/Attachments, multipart part "file"). The content is
// streamed as it is read, never held in memory; a file over 20 MB is
// refused with ErrFileTooLarge, before sending when content tells its size
// (a bytes.Reader, strings.Reader or *os.File), else as soon as the limit
// is passed. The upload is repeated after a failure Do would repeat only
// when content is an io.Seeker. It returns the attachment with the id
// Zoho gave it.
func Attach[P any](ctx context.Context, c *Client, parent *P, name string, content io.Reader) (*Attachment, error) {
	module, id, err := parentOf(c, "Attach", parent)
	if err != nil {
		return nil, err
	}
	up, err := newUpload("Attach", name, content, maxAttachmentBytes)
	if err != nil {
		return nil, err
	}
	a, err := c.addAttachment(ctx, &transfer{op: "Attach", method: http.MethodPost, path: module + "/" + id + "/" + attachmentsList, upload: up})
	if err != nil {
		return nil, err
	}
	a.FileName, a.ParentID, a.ParentModule = name, Lookup{ID: id}, module
	return a, nil
}

// AttachLink attaches a link to parent (POST {module}/{id}/Attachments
// with attachmentUrl and, when not empty, title).
func AttachLink[P any](ctx context.Context, c *Client, parent *P, link, title string) (*Attachment, error) {
	module, id, err := parentOf(c, "AttachLink", parent)
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(link); err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("zohohub: AttachLink: %q is not an http or https URL", link)
	}
	q := url.Values{"attachmentUrl": {link}}
	if title != "" {
		q.Set("title", title)
	}
	a, err := c.addAttachment(ctx, &transfer{op: "AttachLink", method: http.MethodPost, path: module + "/" + id + "/" + attachmentsList, query: q})
	if err != nil {
		return nil, err
	}
	a.FileName, a.LinkURL, a.ParentID, a.ParentModule = title, link, Lookup{ID: id}, module
	return a, nil
}

// addAttachment sends an upload or link and reads Zoho's one result.
func (c *Client) addAttachment(ctx context.Context, t *transfer) (*Attachment, error) {
	resp, _, err := c.stream(ctx, t)
	if err != nil {
		return nil, err
	}
	if len(resp.Body) == 0 {
		return nil, badResponse(resp.StatusCode, t.method, t.path, nil, "empty answer to an upload")
	}
	results, err := parseWriteResults(resp, t.method, t.path, 1)
	if err != nil {
		return nil, err
	}
	if results[0].failed() {
		return nil, results[0].apiError(resp.StatusCode, t.method, t.path, 0)
	}
	rs := Records[Attachment](c)
	a := &Attachment{}
	if err := rs.applyDetails(a, rs.model(a), results[0].Details, nil, false); err != nil {
		return nil, err
	}
	if err := checkID(t.op, attachmentsList, a.ID); err != nil {
		return nil, badResponse(resp.StatusCode, t.method, t.path, resp.Body, "no attachment id in the answer")
	}
	return a, nil
}

// DownloadAttachment copies the file of parent's attachment id to w as it
// arrives (GET {module}/{id}/Attachments/{attachment_id}) and returns the
// number of bytes written. An attachment that does not exist is an error
// matching ErrNotFound.
func DownloadAttachment[P any](ctx context.Context, c *Client, parent *P, id string, w io.Writer) (int64, error) {
	module, pid, err := parentOf(c, "DownloadAttachment", parent)
	if err != nil {
		return 0, err
	}
	if err := checkID("DownloadAttachment", attachmentsList, id); err != nil {
		return 0, err
	}
	return c.downloadTo(ctx, "DownloadAttachment", attachmentsList, id, module+"/"+pid+"/"+attachmentsList+"/"+id, nil, w)
}

// downloadTo copies a file Zoho serves to w; what names what was asked for
// in a not-found error.
func (c *Client) downloadTo(ctx context.Context, op, module, id, path string, q url.Values, w io.Writer) (int64, error) {
	if w == nil {
		return 0, fmt.Errorf("zohohub: %s: nil writer", op)
	}
	resp, n, err := c.stream(ctx, &transfer{op: op, method: http.MethodGet, path: path, query: q, download: w})
	switch {
	case err != nil && isNotFoundError(err):
		return n, notFound(module, id, err)
	case err != nil:
		return n, err
	case resp.StatusCode == http.StatusNoContent:
		return 0, notFound(module, id, nil)
	}
	return n, nil
}

// DeleteAttachments deletes parent's attachments with the given ids
// (DELETE {module}/{id}/Attachments?ids=…, 100 a request, concurrently).
// Results and errors are as DeleteAll's.
func DeleteAttachments[P any](ctx context.Context, c *Client, parent *P, ids ...string) (BatchResult, error) {
	module, id, err := parentOf(c, "DeleteAttachments", parent)
	if err != nil {
		return BatchResult{}, err
	}
	for i, aid := range ids {
		if err := checkID("DeleteAttachments", attachmentsList, aid); err != nil {
			return BatchResult{}, fmt.Errorf("%w (attachment %d); nothing was sent", err, i)
		}
	}
	path := module + "/" + id + "/" + attachmentsList
	return onIDs[Attachment](ctx, c, "DeleteAttachments", ids, nil, maxRecordsPerWrite, ActionDeleted, func(ids []string, _ []json.RawMessage) *Request {
		return &Request{Method: http.MethodDelete, Path: path, Query: url.Values{"ids": {strings.Join(ids, ",")}}}
	})
}

// fileResult is the details of a successful upload to the file store.
type fileResult struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UploadFile stores a file in Zoho's file store (POST /files, multipart
// part "file"), streamed as Attach streams, and returns its id: put it in
// a file upload or image upload field as File{FileID: id} and save the
// record. Files over 20 MB are refused with ErrFileTooLarge.
func UploadFile(ctx context.Context, c *Client, name string, content io.Reader) (string, error) {
	up, err := newUpload("UploadFile", name, content, maxAttachmentBytes)
	if err != nil {
		return "", err
	}
	t := &transfer{op: "UploadFile", method: http.MethodPost, path: "files", upload: up}
	resp, _, err := c.stream(ctx, t)
	if err != nil {
		return "", err
	}
	results, err := parseWriteResults(resp, t.method, t.path, 1)
	if err != nil {
		return "", err
	}
	if results[0].failed() {
		return "", results[0].apiError(resp.StatusCode, t.method, t.path, 0)
	}
	var fr fileResult
	if err := json.Unmarshal(results[0].Details, &fr); err != nil || fr.ID == "" || strings.ContainsAny(fr.ID, "/?#&") {
		return "", badResponse(resp.StatusCode, t.method, t.path, resp.Body, "no file id in the answer")
	}
	return fr.ID, nil
}

// DownloadFile copies a file of Zoho's file store, such as the FileID of a
// file upload field's entry, to w (GET /files?id=) and returns the number
// of bytes written.
func DownloadFile(ctx context.Context, c *Client, id string, w io.Writer) (int64, error) {
	if id == "" || strings.ContainsAny(id, "/?#&") {
		return 0, fmt.Errorf("zohohub: DownloadFile: %q is not a file id", id)
	}
	return c.downloadTo(ctx, "DownloadFile", "files", id, "files", url.Values{"id": {id}}, w)
}
