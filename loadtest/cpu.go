package loadtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// CPUSplit is the CPU time each part of the stack spent during a phase, per
// unit of work (a payment): where the time goes when the machine is saturated.
type CPUSplit struct {
	Units       int     `json:"units"`
	TemporalMs  float64 `json:"temporal_server_ms_per_unit"`
	PostgresMs  float64 `json:"postgres_backends_ms_per_unit"`
	WorkerMs    float64 `json:"worker_ms_per_unit"`
	APIAndLoad  float64 `json:"api_simulator_and_load_generator_ms_per_unit"`
	TotalMs     float64 `json:"total_ms_per_unit"`
	WallSeconds float64 `json:"wall_seconds"`
}

// cpuSnapshot is the CPU ticks of each part at one moment.
type cpuSnapshot struct {
	temporal, worker, self int64
	postgres               map[int]int64 // backend pid → ticks
}

const clockTicksPerSecond = 100 // Linux's USER_HZ

func (st *stack) cpuNow(ctx context.Context) (cpuSnapshot, error) {
	s := cpuSnapshot{postgres: map[int]int64{}}
	if st.temporal != nil {
		s.temporal = procTicks(st.temporal.Pid())
	}
	if pid := st.worker.pid(); pid != 0 {
		s.worker = procTicks(pid)
	}
	s.self = procTicks(os.Getpid())
	rows, err := st.pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return s, err
		}
		s.postgres[pid] = procTicks(pid)
	}
	return s, rows.Err()
}

// split divides what each part spent between two snapshots by units. PostgreSQL
// counts the backends of the bench's database present at both moments (its
// background writers are left out).
func (a cpuSnapshot) split(b cpuSnapshot, units int, wallSeconds float64) CPUSplit {
	ms := func(ticks int64) float64 {
		if units == 0 {
			return 0
		}
		return round2(float64(ticks) * 1000 / clockTicksPerSecond / float64(units))
	}
	var pg int64
	for pid, t := range b.postgres {
		if before, ok := a.postgres[pid]; ok {
			pg += t - before
		}
	}
	out := CPUSplit{Units: units, TemporalMs: ms(b.temporal - a.temporal), PostgresMs: ms(pg),
		WorkerMs: ms(b.worker - a.worker), APIAndLoad: ms(b.self - a.self), WallSeconds: round2(wallSeconds)}
	out.TotalMs = round2(out.TemporalMs + out.PostgresMs + out.WorkerMs + out.APIAndLoad)
	return out
}

func (c CPUSplit) String() string {
	return fmt.Sprintf("CPU per payment: Temporal server %.1f ms, PostgreSQL %.1f ms, worker %.1f ms, API + simulator + load generator %.1f ms (%.1f ms in all)",
		c.TemporalMs, c.PostgresMs, c.WorkerMs, c.APIAndLoad, c.TotalMs)
}

// per describes the split per unit of another kind of work.
func (c CPUSplit) per(unit string) string {
	return fmt.Sprintf("CPU per %s: Temporal server %.2f ms, PostgreSQL %.2f ms, worker %.2f ms, API + simulator + load generator %.2f ms (%.2f ms in all)",
		unit, c.TemporalMs, c.PostgresMs, c.WorkerMs, c.APIAndLoad, c.TotalMs)
}

// cpuDuring measures fn and the CPU each part of the stack spent during it, per
// unit (nil when the snapshots could not be read).
func (st *stack) cpuDuring(ctx context.Context, units int, fn func() Measured) (Measured, *CPUSplit) {
	before, err := st.cpuNow(ctx)
	m := fn()
	if err != nil {
		return m, nil
	}
	after, err := st.cpuNow(ctx)
	if err != nil {
		return m, nil
	}
	split := before.split(after, units, m.Throughput.Seconds)
	return m, &split
}

// procTicks is a process's user + system CPU time in clock ticks (0 when gone).
func procTicks(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: fields are counted after its ')'.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}
