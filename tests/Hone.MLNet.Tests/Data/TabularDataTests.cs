using System.IO.Compression;
using Hone.MLNet.Data;

namespace Hone.MLNet.Tests.Data;

public class TabularDataTests
{
    [Fact]
    public void Sklearn_layout_names_features_and_target_and_keeps_class_names()
    {
        var iris = TestData.Iris();
        Assert.Equal(CsvLayout.SklearnHeader, iris.Layout);
        Assert.Equal(150, iris.RowCount);
        Assert.Equal(["f0", "f1", "f2", "f3", "target"], iris.ColumnNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.True(iris.IsNumeric("target"));
    }

    [Fact]
    public void Header_layout_with_quotes_and_text_columns()
    {
        var t = TabularData.Parse("id,\"size, cm\",kind\n1,2.5,a\n2,3.5,\"b,c\"\n", "t.csv");
        Assert.Equal(CsvLayout.Header, t.Layout);
        Assert.Equal(["id", "size, cm", "kind"], t.ColumnNames);
        Assert.True(t.IsNumeric("size, cm"));
        Assert.False(t.IsNumeric("kind"));
        Assert.Equal("t.csv:2:3: \"a\"", t.FirstNonNumericCell("kind"));
    }

    [Fact]
    public void Headerless_gzip_and_space_separated_files_load()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hone-{Guid.NewGuid():N}.csv.gz");
        try
        {
            using (var file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            using (var writer = new StreamWriter(gzip))
            {
                writer.Write("1 2 0\n3 4 1\n5 6 0\n");
            }

            var t = TabularData.LoadCsv(path);
            Assert.Equal(CsvLayout.NoHeader, t.Layout);
            Assert.Equal(["f0", "f1", "target"], t.ColumnNames);
            Assert.Equal(3, t.RowCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TabularData.LoadCsv("no/such/file.csv"));
        Assert.Contains("no/such/file.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ragged_row_names_its_line()
    {
        var e = Assert.Throws<FormatException>(() => TabularData.Parse("a,b,c\n1,2,3\n4,5\n", "r.csv"));
        Assert.StartsWith("r.csv:3:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_view_has_single_and_text_columns()
    {
        var t = TabularData.Parse("x,kind,y\n1,a,0\n2,b,1\n");
        var view = TestData.View(t);
        Assert.Equal("Single", view.Schema["x"].Type.ToString());
        Assert.Equal("String", view.Schema["kind"].Type.ToString());
    }
}
