package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
)

// The photo of a record: GET, POST and DELETE {module}/{id}/photo
// (spec/oas/record_photo.json).

// maxPhotoBytes is the largest photo Zoho takes: 10 MB (Zoho's Upload a
// Record Photo page).
const maxPhotoBytes = 10 << 20

// photoModules are the modules whose records have a photo.
func photoModules() []string { return []string{"Leads", "Contacts", "Accounts", "Products", "Vendors"} }

// photoPath is the path of parent's photo, or why it has none.
func photoPath[P any](c *Client, op string, parent *P) (module, id, path string, err error) {
	module, id, err = parentOf(c, op, parent)
	if err != nil {
		return "", "", "", err
	}
	if !slices.Contains(photoModules(), module) {
		return "", "", "", fmt.Errorf("zohohub: %s: records of %s have no photo (those of %v do); nothing was sent", op, module, photoModules())
	}
	return module, id, module + "/" + id + "/photo", nil
}

// UploadPhoto sets parent's photo (POST {module}/{id}/photo, multipart part
// "file"), streamed as Attach streams; a photo over 10 MB is refused with
// ErrFileTooLarge. Leads, Contacts, Accounts, Products and Vendors have
// photos; other modules are refused before sending.
func UploadPhoto[P any](ctx context.Context, c *Client, parent *P, name string, content io.Reader) error {
	_, _, path, err := photoPath(c, "UploadPhoto", parent)
	if err != nil {
		return err
	}
	up, err := newUpload("UploadPhoto", name, content, maxPhotoBytes)
	if err != nil {
		return err
	}
	resp, _, err := c.stream(ctx, &transfer{op: "UploadPhoto", method: http.MethodPost, path: path, upload: up})
	if err != nil {
		return err
	}
	return checkSuccess(resp, http.MethodPost, path)
}

// DownloadPhoto copies parent's photo to w and returns the number of bytes
// written. A record without a photo is an error matching ErrNotFound.
func DownloadPhoto[P any](ctx context.Context, c *Client, parent *P, w io.Writer) (int64, error) {
	module, id, path, err := photoPath(c, "DownloadPhoto", parent)
	if err != nil {
		return 0, err
	}
	return c.downloadTo(ctx, "DownloadPhoto", module+" photo", id, path, nil, w)
}

// DeletePhoto removes parent's photo.
func DeletePhoto[P any](ctx context.Context, c *Client, parent *P) error {
	_, _, path, err := photoPath(c, "DeletePhoto", parent)
	if err != nil {
		return err
	}
	resp, err := c.Do(ctx, &Request{Method: http.MethodDelete, Path: path})
	if err != nil {
		return err
	}
	return checkSuccess(resp, http.MethodDelete, path)
}

// checkSuccess reads an answer that is one status object, not a data
// array: {"code":"SUCCESS","status":"success",…}.
func checkSuccess(resp *Response, method, path string) error {
	var r writeResult
	if err := json.Unmarshal(resp.Body, &r); err != nil {
		return badResponse(resp.StatusCode, method, path, resp.Body, "decoding answer: "+err.Error())
	}
	if r.failed() {
		return r.apiError(resp.StatusCode, method, path, -1)
	}
	return nil
}
