// Package images is the stage after the folder, for -images download: it
// saves the images of an item into the item's bundle and points the item
// at them.
//
// In: an item claimed in a Store (Wants says whether its images are to be
// downloaded: it is a bundle's index.md), held with its front matter and
// body (Hold). Out, from Finish: the item's file, rendered by the caller's
// function once its body and image key name the files saved, and the
// counts of images saved and failed, with an Error for each failure
// (the body then keeps the image's absolute URL, and the next run tries
// again).
//
// Images are fetched as feeds are (the fetch stage's client, timeouts,
// retries and Retry-After), at most fetch.AtOnce at a time and
// fetch.PerHost from one host (a fetch.Hosts shared with the other stages
// that fetch for items), each at most once per run however many items
// show it, copied rather than fetched again when another bundle holds it, and kept only
// when their bytes are a raster image (no SVG, which can carry script).
// What came from where is remembered in the folder (folder.ImageMemory),
// so that a re-run fetches nothing it has.
package images
