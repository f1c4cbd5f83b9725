package main

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/zohohub/zohohub/mirror"
)

// display shows a pass's progress; Wait returns once what it shows is
// finished, before the summary is printed.
type display interface {
	mirror.Progress
	Wait()
}

// newProgress is the display of mode: bars, log lines, none, or (auto)
// bars on a terminal and log lines otherwise.
func newProgress(mode string, stderr io.Writer, log *slog.Logger) display {
	if mode == "auto" {
		mode = "log"
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			mode = "bars"
		}
	}
	switch mode {
	case "bars":
		return &bars{out: stderr, bars: map[string]*mpb.Bar{}}
	case "log":
		return &logLines{log: log, last: map[string]time.Time{}, rows: map[string]int{}}
	}
	return quiet{}
}

// bars draws a bar per module (a spinner when the total is unknown).
type bars struct {
	out  io.Writer
	mu   sync.Mutex
	p    *mpb.Progress
	bars map[string]*mpb.Bar
}

func (b *bars) Begin(module string, mode mirror.Mode, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.p == nil {
		b.p = mpb.New(mpb.WithOutput(b.out), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond))
	}
	name := decor.Name(module+" ("+string(mode)+")", decor.WCSyncSpaceR)
	if total < 0 {
		b.bars[module] = b.p.New(0, mpb.SpinnerStyle(), mpb.PrependDecorators(name, decor.CurrentNoUnit("%d rows", decor.WCSyncSpace)))
		return
	}
	b.bars[module] = b.p.AddBar(int64(total), mpb.PrependDecorators(name, decor.CountersNoUnit("%d / %d", decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.EwmaETA(decor.ET_STYLE_GO, 30, decor.WCSyncSpace)))
}

func (b *bars) Add(module string, n int) {
	b.mu.Lock()
	bar := b.bars[module]
	b.mu.Unlock()
	if bar != nil {
		bar.EwmaIncrBy(n, time.Second)
	}
}

func (b *bars) End(module string, _ mirror.ModuleStats, err error) {
	b.mu.Lock()
	bar := b.bars[module]
	delete(b.bars, module)
	b.mu.Unlock()
	if bar == nil {
		return
	}
	if err != nil {
		bar.Abort(false)
		return
	}
	bar.SetTotal(-1, true) // done: the total is what was read
}

func (b *bars) Wait() {
	b.mu.Lock()
	p := b.p
	b.p = nil
	for _, bar := range b.bars {
		bar.Abort(false)
	}
	clear(b.bars)
	b.mu.Unlock()
	if p != nil {
		p.Wait()
	}
}

// logLines logs a line when a module starts, then one every 10 seconds
// while it is read; the mirror logs the line of each pass's end.
type logLines struct {
	log  *slog.Logger
	mu   sync.Mutex
	last map[string]time.Time
	rows map[string]int
}

func (l *logLines) Begin(module string, mode mirror.Mode, total int) {
	l.mu.Lock()
	l.last[module], l.rows[module] = time.Now(), 0
	l.mu.Unlock()
	l.log.Info("zhsync: reading", "module", module, "mode", mode, "records", total)
}

func (l *logLines) Add(module string, n int) {
	l.mu.Lock()
	l.rows[module] += n
	rows, due := l.rows[module], time.Since(l.last[module]) >= 10*time.Second
	if due {
		l.last[module] = time.Now()
	}
	l.mu.Unlock()
	if due {
		l.log.Info("zhsync: progress", "module", module, "rows", rows)
	}
}

func (l *logLines) End(string, mirror.ModuleStats, error) {}
func (l *logLines) Wait()                                 {}

// quiet shows nothing.
type quiet struct{}

func (quiet) Begin(string, mirror.Mode, int)        {}
func (quiet) Add(string, int)                       {}
func (quiet) End(string, mirror.ModuleStats, error) {}
func (quiet) Wait()                                 {}
