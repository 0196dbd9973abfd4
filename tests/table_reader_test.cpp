// SPDX-License-Identifier: BSD-3-Clause
// io::read_table on small CSV and .npy files whose values are written in the file itself: RFC
// 4180's quoting rules, line ends and byte-order mark, text columns, missing values, the target
// column moved last and the column-major layout the estimators use in place.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "infozoo/io/table.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

io::Table csv(const std::string& text, const io::ReadTableOptions& options = {}) {
  std::istringstream in(text);
  return io::read_csv(in, "inline", options);
}

std::vector<double> column(const io::Table& t, int64_t j) {
  const auto c = t.values.select(1, j).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

TEST(ReadCsv, QuotingLineEndsAndBom) {
  // A quoted field with the delimiter, an escaped quote and a newline; CRLF; a BOM; no final
  // line end.
  const auto t =
      csv("\xEF\xBB\xBFx,\"name, full\",y\r\n1.5,\"a \"\"b\"\"\",0\r\n-2e3,\"c\nd\",1\r\n"
          "+3,\"a \"\"b\"\"\",1");
  ASSERT_EQ(t.names, (std::vector<std::string>{"x", "name, full", "y"}));
  EXPECT_EQ(column(t, 0), (std::vector<double>{1.5, -2000.0, 3.0}));
  EXPECT_TRUE(t.categorical[1]);
  EXPECT_EQ(t.categories[1], (std::vector<std::string>{"a \"b\"", "c\nd"}));
  EXPECT_EQ(column(t, 2), (std::vector<double>{0, 1, 1}));
  EXPECT_FALSE(t.categorical[0]);
  EXPECT_EQ(column(t, 1), (std::vector<double>{0, 1, 0}));
  // RFC 4180: a quote inside an unquoted field is an error, naming the line.
  EXPECT_NE(error_of([] { csv("a,b\n1,x\"y\n"); }).find("inline: line 2:"), std::string::npos);
}

TEST(ReadCsv, DelimitersBlankLinesAndExactNumbers) {
  const auto t =
      csv("a;b\n0.1;7\n\n0.30000000000000004;-0\n\n", io::ReadTableOptions().delimiter(';'));
  EXPECT_EQ(column(t, 0), (std::vector<double>{0.1, 0.30000000000000004}));  // correctly rounded
  EXPECT_EQ(column(t, 1)[0], 7.0);
  const auto tab = csv("a\tb\n1\t2\n", io::ReadTableOptions().delimiter('\t'));
  EXPECT_EQ(column(tab, 1), (std::vector<double>{2.0}));
}

TEST(ReadCsv, TextColumnsBecomeCodesInOrderOfFirstAppearance) {
  const auto t = csv("c,v\nred,1\nblue,2\nred,3\n green ,4\n");
  EXPECT_TRUE(t.categorical[0]);
  EXPECT_EQ(column(t, 0), (std::vector<double>{0, 1, 0, 2}));
  EXPECT_EQ(t.categories[0], (std::vector<std::string>{"red", "blue", "green"}));
  EXPECT_TRUE(t.categories[1].empty());
}

TEST(ReadCsv, MissingValuesFailOrDropTheirRows) {
  const std::string text = "a,b\n1,2\nNA,3\n4,\n5,6\n";
  EXPECT_NE(
      error_of([&] { csv(text); }).find("inline: row 2 (line 3), column 'a': missing value 'NA'"),
      std::string::npos)
      << error_of([&] { csv(text); });
  const auto t = csv(text, io::ReadTableOptions().drop_missing(true));
  EXPECT_EQ(t.dropped_rows, 2);
  EXPECT_EQ(column(t, 0), (std::vector<double>{1, 5}));
  EXPECT_EQ(column(t, 1), (std::vector<double>{2, 6}));
}

TEST(ReadCsv, TargetColumnIsStoredLastInTheEstimatorsLayout) {
  const auto t = csv("y,a,b\n0,1,2\n1,3,4\n0,5,6\n", io::ReadTableOptions().target_column("y"));
  EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b", "y"}));
  EXPECT_EQ(column(t, 2), (std::vector<double>{0, 1, 0}));
  EXPECT_TRUE(t.values.t().is_contiguous()) << "column-major: each column contiguous";
  const auto X = t.values.slice(1, 0, 2);
  EXPECT_TRUE(X.t().is_contiguous()) << "the features are a view in the same layout";
  EXPECT_EQ(t.column_index("b"), 1);
  EXPECT_NE(error_of([&] {
              t.column_index("zz");
            }).find("no column named 'zz'; the columns are 'a', 'b', 'y'"),
            std::string::npos);
}

TEST(ReadCsv, ManyRowsFromAFileGrowNoWrongValue) {
  // Rows much longer after the first block than in it: the size estimate is exceeded and the
  // matrix grows; every value must land in its place.
  const TempDir dir("infozoo_table");
  const auto path = (dir.path / "grow.csv").string();
  {
    std::ofstream out(path);
    out << "i,v\n";
    for (int i = 0; i < 60000; ++i)
      out << i << ',' << (i < 30000 ? "1" : "1.00000000000000000000000001") << '\n';
  }
  const auto t = io::read_table(path);
  ASSERT_EQ(t.values.size(0), 60000);
  const auto i = column(t, 0);
  for (int r = 0; r < 60000; ++r) ASSERT_EQ(i[r], r);
  EXPECT_EQ(column(t, 1)[59999], 1.0);
}

// .npy files of each dtype and order, written byte by byte here as numpy's format.py does.
std::string npy_bytes(const std::string& descr, bool fortran, const std::string& shape,
                      const std::string& data) {
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': " + (fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  header.append(63 - (10 + header.size()) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

template <class T>
std::string raw(std::initializer_list<T> values, bool big_endian = false) {
  std::string out;
  for (const T v : values) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    if (big_endian) std::reverse(b, b + sizeof(T));
    out.append(b, sizeof(T));
  }
  return out;
}

TEST(ReadNpy, DtypesOrdersAndNames) {
  const TempDir dir("infozoo_npy");
  auto write = [&](const std::string& name, const std::string& bytes) {
    const auto path = (dir.path / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  };
  // [[1, 2], [3, 4], [5, 6]] in C order, and the same array in Fortran order.
  const auto f8 =
      write("f8.npy", npy_bytes("<f8", false, "(3, 2)", raw<double>({1, 2, 3, 4, 5, 6})));
  const auto f4 = write("f4.npy", npy_bytes("<f4", true, "(3, 2)", raw<float>({1, 3, 5, 2, 4, 6})));
  const auto i8 =
      write("i8.npy", npy_bytes(">i8", false, "(3, 2)", raw<int64_t>({1, 2, 3, 4, 5, -6}, true)));
  const auto u1 = write("u1.npy", npy_bytes("|u1", false, "(3,)", raw<uint8_t>({1, 255, 3})));
  const auto i2 = write("i2.npy", npy_bytes("<i2", false, "(3,)", raw<int16_t>({-1, 300, -32768})));
  for (const auto& path : {f8, f4}) {
    const auto t = io::read_table(path, io::ReadTableOptions().columns({"a", "b"}));
    EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"})) << path;
    EXPECT_EQ(column(t, 0), (std::vector<double>{1, 3, 5})) << path;
    EXPECT_EQ(column(t, 1), (std::vector<double>{2, 4, 6})) << path;
  }
  const auto ti = io::read_table(i8, io::ReadTableOptions().target_column("0"));
  EXPECT_EQ(ti.names, (std::vector<std::string>{"1", "0"}));
  EXPECT_EQ(column(ti, 0), (std::vector<double>{2, 4, -6}));
  EXPECT_EQ(column(io::read_table(u1), 0), (std::vector<double>{1, 255, 3}));
  EXPECT_EQ(column(io::read_table(i2), 0), (std::vector<double>{-1, 300, -32768}));
  const auto nan = write("nan.npy", npy_bytes("<f8", false, "(2, 1)", raw<double>({1, NAN})));
  EXPECT_NE(error_of([&] { io::read_table(nan); }).find("missing value"), std::string::npos);
  EXPECT_EQ(io::read_table(nan, io::ReadTableOptions().drop_missing(true)).dropped_rows, 1);
}

}  // namespace
}  // namespace infozoo::test_support
