// zy-fscrypt: the few fscrypt ioctls the local node's encrypted volumes need (ext4 with the
// `encrypt` feature; kernel FS_ENCRYPTION, v2 policies, keys in the filesystem's keyring).
//
//	zy-fscrypt add-key <mountpoint> <keyfile>     add a 64-byte raw key; prints its identifier
//	zy-fscrypt encrypt <empty-dir> <identifier>   give the directory an AES-256-XTS/CTS policy
//	zy-fscrypt remove-key <mountpoint> <identifier>  drop the key: files become unreadable
//	zy-fscrypt status <dir>                       print "encrypted <identifier>" or "plain"
package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

func ioctl(path string, flags int, req uintptr, arg unsafe.Pointer) error {
	fd, err := unix.Open(path, flags|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(arg)); errno != 0 {
		return errno
	}
	return nil
}

func identifier(text string) ([16]byte, error) {
	var id [16]byte
	raw, err := hex.DecodeString(text)
	if err != nil || len(raw) != len(id) {
		return id, fmt.Errorf("identifier %q: want 32 hex digits", text)
	}
	copy(id[:], raw)
	return id, nil
}

func addKey(mountpoint, keyfile string) error {
	key, err := os.ReadFile(keyfile)
	if err != nil {
		return err
	}
	if len(key) != unix.FSCRYPT_MAX_KEY_SIZE {
		return fmt.Errorf("%s: want a %d-byte key, got %d", keyfile, unix.FSCRYPT_MAX_KEY_SIZE, len(key))
	}
	// struct fscrypt_add_key_arg followed by the raw key.
	size := unsafe.Sizeof(unix.FscryptAddKeyArg{})
	buf := make([]byte, size+uintptr(len(key)))
	arg := (*unix.FscryptAddKeyArg)(unsafe.Pointer(&buf[0]))
	arg.Key_spec.Type = unix.FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER
	arg.Raw_size = uint32(len(key))
	copy(buf[size:], key)
	if err := ioctl(mountpoint, unix.O_RDONLY, unix.FS_IOC_ADD_ENCRYPTION_KEY, unsafe.Pointer(&buf[0])); err != nil {
		return fmt.Errorf("FS_IOC_ADD_ENCRYPTION_KEY on %s: %w", mountpoint, err)
	}
	fmt.Println(hex.EncodeToString(arg.Key_spec.U[:16]))
	return nil
}

func encrypt(dir, id string) error {
	key, err := identifier(id)
	if err != nil {
		return err
	}
	policy := unix.FscryptPolicyV2{
		Version:                   unix.FSCRYPT_POLICY_V2,
		Contents_encryption_mode:  unix.FSCRYPT_MODE_AES_256_XTS,
		Filenames_encryption_mode: unix.FSCRYPT_MODE_AES_256_CTS,
		Flags:                     unix.FSCRYPT_POLICY_FLAGS_PAD_32,
		Master_key_identifier:     key,
	}
	if err := ioctl(dir, unix.O_RDONLY|unix.O_DIRECTORY, unix.FS_IOC_SET_ENCRYPTION_POLICY, unsafe.Pointer(&policy)); err != nil {
		return fmt.Errorf("FS_IOC_SET_ENCRYPTION_POLICY on %s: %w", dir, err)
	}
	return nil
}

func removeKey(mountpoint, id string) error {
	key, err := identifier(id)
	if err != nil {
		return err
	}
	var arg unix.FscryptRemoveKeyArg
	arg.Key_spec.Type = unix.FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER
	copy(arg.Key_spec.U[:], key[:])
	if err := ioctl(mountpoint, unix.O_RDONLY, unix.FS_IOC_REMOVE_ENCRYPTION_KEY, unsafe.Pointer(&arg)); err != nil {
		return fmt.Errorf("FS_IOC_REMOVE_ENCRYPTION_KEY on %s: %w", mountpoint, err)
	}
	if arg.Removal_status_flags&unix.FSCRYPT_KEY_REMOVAL_STATUS_FLAG_FILES_BUSY != 0 {
		return errors.New("key removed, but some files are still open and stay readable until closed")
	}
	return nil
}

func status(dir string) error {
	arg := unix.FscryptGetPolicyExArg{Size: uint64(len(unix.FscryptGetPolicyExArg{}.Policy))}
	err := ioctl(dir, unix.O_RDONLY, unix.FS_IOC_GET_ENCRYPTION_POLICY_EX, unsafe.Pointer(&arg))
	if errors.Is(err, unix.ENODATA) {
		fmt.Println("plain")
		return nil
	}
	if err != nil {
		return fmt.Errorf("FS_IOC_GET_ENCRYPTION_POLICY_EX on %s: %w", dir, err)
	}
	policy := (*unix.FscryptPolicyV2)(unsafe.Pointer(&arg.Policy[0]))
	if policy.Version != unix.FSCRYPT_POLICY_V2 {
		return fmt.Errorf("%s: policy version %d, not v2", dir, policy.Version)
	}
	fmt.Println("encrypted", hex.EncodeToString(policy.Master_key_identifier[:]))
	return nil
}

func main() {
	args := os.Args[1:]
	var err error
	switch {
	case len(args) == 3 && args[0] == "add-key":
		err = addKey(args[1], args[2])
	case len(args) == 3 && args[0] == "encrypt":
		err = encrypt(args[1], args[2])
	case len(args) == 3 && args[0] == "remove-key":
		err = removeKey(args[1], args[2])
	case len(args) == 2 && args[0] == "status":
		err = status(args[1])
	default:
		err = errors.New("usage: zy-fscrypt add-key <mountpoint> <keyfile> | encrypt <empty-dir> <identifier> | remove-key <mountpoint> <identifier> | status <dir>")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zy-fscrypt:", err)
		os.Exit(1)
	}
}
