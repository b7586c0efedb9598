package woosync

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// imageNameRule is the character set of image names sent to Sitoo (the seed's Fix Images rule).
var imageNameRule = regexp.MustCompile(`[^a-zA-Z0-9_.\-]`)

// SitooImageName returns the name an image gets in Sitoo: the (unescaped) file name of its src with every
// character outside [a-zA-Z0-9_.-] replaced by "-" (and "image" when nothing is left).
// WooCommerce cannot rename a media file over REST, so the name is fixed on the way to Sitoo.
func SitooImageName(src string) string {
	name := path.Base(strings.SplitN(strings.SplitN(src, "?", 2)[0], "#", 2)[0])
	if u, err := url.PathUnescape(name); err == nil {
		name = u
	}
	if name == "." || name == "/" {
		name = ""
	}
	name = imageNameRule.ReplaceAllString(name, "-")
	if strings.Trim(name, "-.") == "" {
		return "image"
	}
	return name
}

// putImages uploads a product's images to its Sitoo product; with replace, the Sitoo product's
// current images are deleted first (the seed: images are recreated, old ones deleted). An image
// that cannot be downloaded fails the item ("missing image").
func (j *job) putImages(kind Kind, wooID int64, sku string, sitooID int64, imgs []woocommerce.Image, replace bool) error {
	if replace {
		cur, _, err := j.site.ProductImages.List(j.ctx, sitooID, nil)
		if err != nil {
			return j.fail(kind, wooID, sku, fmt.Errorf("list Sitoo images: %w", err))
		}
		for i := len(cur) - 1; i >= 0; i-- { // from the end, so indexes do not shift
			if _, err := j.site.ProductImages.Delete(j.ctx, sitooID, i); err != nil {
				return j.fail(kind, wooID, sku, fmt.Errorf("delete Sitoo image: %w", err))
			}
		}
	}
	for _, img := range imgs {
		data, err := j.fetch(j.ctx, img.Src)
		if err == nil && len(data) == 0 {
			err = fmt.Errorf("empty file")
		}
		if err != nil {
			return j.fail(kind, wooID, sku, fmt.Errorf("missing image %s: %w", img.Src, err))
		}
		if _, err := j.site.ProductImages.Upload(j.ctx, sitooID, SitooImageName(img.Src), data); err != nil {
			return j.fail(kind, wooID, sku, fmt.Errorf("upload image %s: %w", img.Src, err))
		}
	}
	return nil
}
