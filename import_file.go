package zohohub

import (
	"errors"
	"io"
)

// importFile is the zip of one Import job, written while the upload reads
// it: a goroutine writes it into a pipe, so that the file is never held
// whole in memory. Seeking back to the start writes it again (the same
// bytes), so that the upload can be sent again after a 429 or a 5xx.
type importFile struct {
	write func(w *importFileWriter) error

	pr   *io.PipeReader
	done chan struct{}
	out  importFileWriter // the run's rows; read once done is closed
	err  error            // the run's error; likewise
	read int64
}

// importFileWriter is where write writes the zip; it counts the rows the
// file holds.
type importFileWriter struct {
	io.Writer
	rows int
}

var errFileRestarted = errors.New("zohohub: Import: file written again")

func newImportFile(write func(w *importFileWriter) error) *importFile {
	f := &importFile{write: write}
	f.start()
	return f
}

// start runs write into a new pipe.
func (f *importFile) start() {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	f.pr, f.done, f.read = pr, done, 0
	go func() {
		defer close(done)
		w := importFileWriter{Writer: pw}
		err := f.write(&w)
		pw.CloseWithError(err) // nil: the end of the file
		f.out, f.err = w, err  // read by the caller once done is closed
	}()
}

// stop ends the current run and waits for it.
func (f *importFile) stop() {
	f.pr.CloseWithError(errFileRestarted)
	<-f.done
}

// Read reads the zip.
func (f *importFile) Read(p []byte) (int, error) {
	n, err := f.pr.Read(p)
	f.read += int64(n)
	return n, err
}

// Seek tells where the reading is (Seek(0, io.SeekCurrent)) and starts the
// file over (Seek(0, io.SeekStart)); it moves nowhere else.
func (f *importFile) Seek(offset int64, whence int) (int64, error) {
	switch {
	case offset == 0 && whence == io.SeekCurrent:
		return f.read, nil
	case offset == 0 && whence == io.SeekStart:
		f.stop()
		f.start()
		return 0, nil
	}
	return f.read, errors.New("zohohub: Import: the file can only start over")
}

// Close stops the writing.
func (f *importFile) Close() error {
	f.stop()
	return nil
}

// rows stops the writing and reports how many rows the file holds and
// whether it was written whole: the upload read it to its end.
func (f *importFile) rows() (n int, complete bool) {
	f.stop()
	return f.out.rows, f.err == nil
}
