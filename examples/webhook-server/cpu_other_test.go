//go:build !unix

package main

import "time"

// processCPU is not measured on this system: the CPU figure is left out.
func processCPU() time.Duration { return 0 }
