using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Data;

/// <summary>
/// An in-memory ML.NET view over some rows of column arrays: <c>float[]</c> (Single), <c>string[]</c> (Text),
/// <c>bool[]</c> (Boolean) or <c>uint[]</c> (a key, 1-based). Rows are read in the order given, or in a random
/// order when a trainer asks for one.
/// </summary>
/// <remarks>
/// The view can shuffle itself because ML.NET otherwise puts a shuffling transform in front of it for trainers
/// that visit rows in random order (SDCA, forests): that transform fills a buffer on a background thread and
/// hands rows over one by one, which on a few hundred rows costs more than the training.
/// </remarks>
internal sealed class ColumnarDataView : IDataView
{
    private readonly Array[] _columns;
    private readonly IReadOnlyList<int> _rows;

    public ColumnarDataView(DataViewSchema schema, Array[] columns, IReadOnlyList<int> rows)
    {
        Schema = schema;
        _columns = columns;
        _rows = rows;
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this, Order(rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this, Order(rand))];

    private IReadOnlyList<int> Order(Random? rand)
    {
        if (rand is null)
        {
            return _rows;
        }

        var order = _rows.ToArray();
        rand.Shuffle(order);
        return order;
    }

    private sealed class Cursor(ColumnarDataView view, IReadOnlyList<int> rows) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 < rows.Count)
            {
                _position++;
                return true;
            }

            _position = rows.Count;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = view._columns[column.Index] switch
            {
                float[] f => (ValueGetter<float>)((ref float v) => v = f[Row]),
                string[] s => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = s[Row].AsMemory()),
                bool[] b => (ValueGetter<bool>)((ref bool v) => v = b[Row]),
                uint[] u => (ValueGetter<uint>)((ref uint v) => v = u[Row]),
                _ => throw new InvalidOperationException($"Column {column.Name} has an unsupported array type."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column {column.Name} is {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId v) => v = new DataViewRowId((ulong)Row, 0);

        private int Row => rows[(int)_position];
    }
}
