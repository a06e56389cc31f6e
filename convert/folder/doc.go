// Package folder is the sixth stage: the output folder, which is also the
// memory between runs (the images stage, for -images download, comes
// after it).
//
// In: an item's identity (its GUID, link, title and feed), the file name
// its slug asks for, and the bytes to write. Out: the file, written whole
// or not at all (WriteFile: a temporary file beside it, then a rename),
// under a name that stays the item's from run to run, and the ids file
// (IDsFile) that remembers which file is whose.
//
// A Store claims names (an item keeps its file when its title changes;
// two items never share one; a file the tool did not write is never
// overwritten), knows each file's owner from its front matter and the ids
// file, still reading the ids file of earlier releases. An Opener creates
// the folder and takes its lock (LockFile) right before the first write,
// so that a run with nothing to write creates nothing. A full or
// read-only file system stops the writing at the first file that does
// not fit (IsFull, FullError), and the next run writes the rest. An
// ImageMemory remembers the images downloaded into bundles, a PageMemory
// what items' pages gave (-fulltext), and Store.Prune removes the file of
// an item gone from its feed (-prune) while it holds what was written. No
// file of the folder's own is read or written through a symbolic link.
//
// It fetches, parses and renders nothing: what to write comes from the
// earlier stages, through the orchestrator.
package folder
