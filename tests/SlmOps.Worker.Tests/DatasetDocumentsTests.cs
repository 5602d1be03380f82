using SlmOps.Worker.Runs;

namespace SlmOps.Worker.Tests;

public sealed class DatasetDocumentsTests
{
    [Fact]
    public void Text_splits_into_documents_at_blank_lines()
    {
        var documents = DatasetDocuments.SplitText("first line\nstill first\n\nsecond\r\n\r\nthird\n");

        Assert.Equal(["first line\nstill first", "second", "third"], documents);
    }

    [Fact]
    public void Text_without_blank_lines_is_one_document_per_line()
    {
        var documents = DatasetDocuments.SplitText("one\ntwo\r\nthree\n");

        Assert.Equal(["one", "two", "three"], documents);
    }

    [Fact]
    public void A_single_document_is_refused_with_what_to_upload_instead()
    {
        var documents = DatasetDocuments.SplitText("just one line of text");

        var error = Assert.Throws<InvalidDataException>(() => DatasetDocuments.EnsureEnough(documents, 42, "text"));
        Assert.Contains("Dataset version 42 holds 1 document(s)", error.Message);
        Assert.Contains("one document per line", error.Message);
    }
}
