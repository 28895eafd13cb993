using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// A type change's content (a file that became a symlink or back): the two blobs compared straight
// by libgit2 (git_patch_from_blobs), on the direct diff's handle.
public sealed partial class GitHistoryReader
{
    /// <summary>
    /// Two blobs compared straight by libgit2, with the text LibGit2Sharp's comparison builds from
    /// its callbacks (each hunk's header, each line behind its origin: '+', '-', ' ', or nothing
    /// for the end-of-file notes). Null when this way is not open (the diff was not read directly
    /// first) or libgit2 fails (the caller then asks LibGit2Sharp, which says what failed).
    /// </summary>
    private unsafe (bool Binary, string Text, int Added, int Deleted)? DirectBlobPatch(ObjectId oldId, ObjectId newId)
    {
        var api = Libgit2.Api;
        if (!DirectDiff || api is null || _directClosed || _repoHandle == IntPtr.Zero)
        {
            return null;
        }

        IntPtr oldBlob = IntPtr.Zero, newBlob = IntPtr.Zero, patch = IntPtr.Zero;
        try
        {
            fixed (byte* oldOid = oldId.RawId, newOid = newId.RawId)
            {
                if (api.BlobLookup(&oldBlob, _repoHandle, oldOid) != 0 || api.BlobLookup(&newBlob, _repoHandle, newOid) != 0)
                {
                    return null;
                }
            }

            var options = new GitDiffOptions { Version = 1, Flags = IncludeTypeChange, ContextLines = 3 };
            if (api.PatchFromBlobs(&patch, oldBlob, null, newBlob, null, &options) != 0)
            {
                return null;
            }

            DirectBlobReads++;
            if ((api.PatchGetDelta(patch)->Flags & FlagBinary) != 0)
            {
                return (true, "", 0, 0);
            }

            var text = new StringBuilder();
            int added = 0, deleted = 0;
            var hunks = api.PatchNumHunks(patch);
            for (nuint h = 0; h < hunks; h++)
            {
                GitDiffHunk* hunk;
                nuint lines;
                if (api.PatchGetHunk(&hunk, &lines, patch, h) != 0)
                {
                    return null;
                }

                text.Append(Encoding.UTF8.GetString(hunk->Header, (int)hunk->HeaderLength));
                for (nuint l = 0; l < lines; l++)
                {
                    GitDiffLine* line;
                    if (api.PatchGetLineInHunk(&line, patch, h, l) != 0)
                    {
                        return null;
                    }

                    switch ((char)line->Origin)
                    {
                        case '+':
                            added++;
                            text.Append('+');
                            break;
                        case '-':
                            deleted++;
                            text.Append('-');
                            break;
                        case ' ':
                            text.Append(' ');
                            break;
                    }

                    text.Append(Encoding.UTF8.GetString(line->Content, (int)line->ContentLength));
                }
            }

            return (false, text.ToString(), added, deleted);
        }
        finally
        {
            if (patch != IntPtr.Zero)
            {
                api.PatchFree(patch);
            }

            if (newBlob != IntPtr.Zero)
            {
                api.BlobFree(newBlob);
            }

            if (oldBlob != IntPtr.Zero)
            {
                api.BlobFree(oldBlob);
            }
        }
    }
}
