package sitoo

import (
	"context"
	"encoding/base64"
	"fmt"
	"iter"
	"net/http"
)

// Resource is an uploaded file, such as a product image.
type Resource struct {
	// ResourceID is the file's id as a relative URL, typically its file name.
	ResourceID  string   `json:"resourceid"`
	MimeType    string   `json:"mimetype"`
	Width       int      `json:"width"`
	Height      int      `json:"height"`
	FileSize    int64    `json:"filesize"`
	DateCreated UnixTime `json:"datecreated"`
}

// ProductImagesService manages /sites/{site}/products/{id}/images. Get it from
// Site.ProductImages. An image is addressed by its index in the product's image list.
type ProductImagesService service

// List returns one page of a product's images.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-images-files#get-product-images
func (s *ProductImagesService) List(ctx context.Context, productID int64, opts *ListOptions) ([]Resource, *Response, error) {
	items, resp, err := listOne[Resource](ctx, s.c, sitePath(s.site, "products", itoa(productID), "images"), opts)
	if err != nil {
		return nil, resp, fmt.Errorf("sitoo: list images of product %d: %w", productID, err)
	}
	return items, resp, nil
}

// All iterates over every image of a product.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-images-files#get-product-images
func (s *ProductImagesService) All(ctx context.Context, productID int64, opts *ListOptions) iter.Seq2[Resource, error] {
	return wrapSeq(listAll[Resource](ctx, s.c, sitePath(s.site, "products", itoa(productID), "images"), opts),
		fmt.Sprintf("list images of product %d", productID))
}

// Get returns the image at index (its position in the product's image list).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-images-files#get-product-image
func (s *ProductImagesService) Get(ctx context.Context, productID int64, index int) (*Resource, *Response, error) {
	return getOne[Resource](ctx, s.c, fmt.Sprintf("get image %d of product %d", index, productID), sitePath(s.site, "products", itoa(productID), "images", itoa(int64(index))))
}

// Upload adds an image to a product from its bytes, sent base64-encoded as "filedata" under the
// name resourceID (typically the file name; Sitoo's naming rules are not documented, so keep to
// [A-Za-z0-9_.-]).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-images-files#add-product-image
func (s *ProductImagesService) Upload(ctx context.Context, productID int64, resourceID string, data []byte) (*Response, error) {
	if resourceID == "" || len(data) == 0 {
		return nil, fmt.Errorf("sitoo: upload image to product %d: %w", productID, invalidArg("name and data are required"))
	}
	body := struct {
		ResourceID string `json:"resourceid"`
		FileData   string `json:"filedata"`
	}{resourceID, base64.StdEncoding.EncodeToString(data)}
	resp, err := s.c.do(ctx, call{method: http.MethodPost, path: sitePath(s.site, "products", itoa(productID), "images"), body: body}, nil)
	return resp, wrapErr(fmt.Sprintf("upload image %q to product %d", resourceID, productID), err)
}

// Delete removes the image at index from the product. Sitoo removes only the link between product
// and image, not the file. The indexes of the images after it may change: list the images again
// before deleting another.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-images-files#delete-product-image
func (s *ProductImagesService) Delete(ctx context.Context, productID int64, index int) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete image %d of product %d", index, productID),
		sitePath(s.site, "products", itoa(productID), "images", itoa(int64(index))))
}
