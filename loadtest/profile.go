package loadtest

import (
	"os"
	"path/filepath"
	"runtime/pprof"
)

// profile writes a CPU profile of this process (the API, the simulator and the
// load generator) to <CPUProfileDir>/<name>.pprof until the returned function is
// called; without CPUProfileDir it does nothing. The worker and the Temporal
// server are other processes: their share is the CPU split's.
func (b *bench) profile(p *progress, name string) (stop func()) {
	if b.opts.CPUProfileDir == "" {
		return func() {}
	}
	path := filepath.Join(b.opts.CPUProfileDir, name+".pprof")
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		p.say("cpu profile %s not written: %v", path, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			p.say("cpu profile %s: %v", path, err)
			return
		}
		p.say("cpu profile: %s", path)
	}
}
