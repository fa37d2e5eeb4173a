package asaassim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The state file: the whole simulator state as JSON (snapshot), so that a dev
// stack restarted against a database that outlived it still finds its charges
// at the gateway. Every change marks the state dirty; a saver writes the file
// SaveDelay later (so a burst of changes is one write) and Close writes it a
// last time. Writes go to a temporary file that is renamed over the old one: a
// crash leaves the old state or the new one, never half of either.

const defaultSaveDelay = 500 * time.Millisecond

// touch notes a change for the saver. Cheap and non-blocking: callers hold
// locks.
func (s *Server) touch() {
	if s.dirty == nil {
		return
	}
	select {
	case s.dirty <- struct{}{}:
	default:
	}
}

func (s *Server) startSaver() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			select {
			case <-s.ctx.Done():
				return // Close saves once delivery has stopped
			case <-s.dirty:
			}
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(s.opts.SaveDelay):
			}
			if err := s.Save(); err != nil {
				s.log.Error("asaas-sim cannot write its state file", "file", s.opts.StateFile, "error", err)
			}
		}
	}()
}

// Save writes the state file now. Without Options.StateFile it does nothing.
func (s *Server) Save() error {
	if s.opts.StateFile == "" {
		return nil
	}
	// One save at a time, capture included: an older capture never overwrites
	// a newer one.
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	raw, err := json.Marshal(s.capture())
	if err != nil {
		return fmt.Errorf("asaassim: encode state: %w", err)
	}
	return writeFileAtomic(s.opts.StateFile, append(raw, '\n'))
}

// readStateFile loads a state file; a missing file is (nil, nil): a fresh start.
func readStateFile(path string) (*snapshot, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("asaassim: read state file: %w", err)
	}
	var snap snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, stateFileError(path, fmt.Errorf("not valid JSON: %w", err))
	}
	if snap.Format == 0 {
		return nil, stateFileError(path, errors.New("not a simulator state file (no format)"))
	}
	return &snap, nil
}

func stateFileError(path string, err error) error {
	return fmt.Errorf("asaassim: state file %s: %w; fix it or move it away to start afresh", path, err)
}

// writeFileAtomic replaces path with data through a temporary file in the same
// directory and a rename.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	// The rename itself survives a power cut only once the directory is synced.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
