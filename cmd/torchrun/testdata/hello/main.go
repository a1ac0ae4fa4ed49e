// Command hello is the Go package that cmd/torchrun's tests build and run:
// it prints its rank.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("hello from rank %s of %s\n", os.Getenv("RANK"), os.Getenv("WORLD_SIZE"))
}
