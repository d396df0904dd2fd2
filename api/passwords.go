package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"sankofa"
)

// OWASP's argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// Hasher hashes passwords with argon2id. Each hash takes 19 MiB, so at
// most a few run at once: a login flood queues instead of exhausting
// memory.
type Hasher struct {
	slots chan struct{}
}

// NewHasher returns a hasher that runs at most concurrency hashes at once.
func NewHasher(concurrency int) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(1, concurrency))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &httpProblem{status: 503, code: "unavailable", detail: "the server is busy; retry shortly", retry: 1}
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC-format argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("api: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches a hash made by Hash. An empty
// hash is checked against a dummy so that unknown accounts take as long as
// known ones.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if hash == "" {
		hash = dummyHash
	}
	var (
		version, mem, iters int
		threads             uint8
	)
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, sankofa.Errorf(sankofa.Internal, "unknown password hash format")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return false, fmt.Errorf("api: parse hash: %w", err)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false, fmt.Errorf("api: parse hash: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("api: parse hash: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("api: parse hash: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, uint32(iters), uint32(mem), threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1 && hash != dummyHash, nil
}

// dummyHash is verified for unknown e-mail addresses.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2Fua29mYWR1bW15c2FsdA$0Hn1nq2VQ0xmZCqG8ZkT3m1u9J0m0iF1mV8aJY2b3yU"
