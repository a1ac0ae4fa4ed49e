package trainer

import "fmt"

// ImageSet is what CheckImages needs of a dataset (vision/datasets' MNIST
// and CIFAR10).
type ImageSet interface {
	Len() int
	Shape() (c, h, w int)
	Train() bool
}

// CheckImages refuses, before anything reads an image, datasets that the
// program's model cannot take: an empty one, or one whose images are not
// c×h×w. folder names where they were read from.
func CheckImages(folder string, c, h, w int, sets ...ImageSet) error {
	for _, s := range sets {
		split := "test"
		if s.Train() {
			split = "training"
		}
		if s.Len() == 0 {
			return fmt.Errorf("the %s set in %s has no images", split, folder)
		}
		if sc, sh, sw := s.Shape(); sc != c || sh != h || sw != w {
			return fmt.Errorf("the %s set in %s holds %dx%dx%d images; the model takes %dx%dx%d", split, folder, sc, sh, sw, c, h, w)
		}
	}
	return nil
}
