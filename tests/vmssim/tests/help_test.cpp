// LBR$OUTPUT_HELP in a simulated process (spec 4.10): SYS$HELP:SUPERVISOR (the runner's
// ROOT/disk/help, the .HLB mapped to the .HLP) with LIB$PUT_OUTPUT's form of output
// routine; a missing key still succeeds, a missing library gives RMS$_FNF.
#include <descrip.h>
#include <hlpdef.h>
#include <lbr$routines.h>
#include <rmsdef.h>
#include <ssdef.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

std::vector<std::string> g_lines;

extern "C" unsigned int collect(void* p) {
  auto* d = static_cast<dsc$descriptor_s*>(p);
  g_lines.emplace_back(static_cast<char*>(d->dsc$a_pointer), d->dsc$w_length);
  return SS$_NORMAL;
}

bool has(const std::string& line) {
  for (const auto& l : g_lines)
    if (l == line) return true;
  return false;
}

TEST(VmsHelpLibrary, SysHelpTopicMissingKeyAndMissingLibrary) {
  const char* root = std::getenv("VMSSIM_ROOT");
  ASSERT_NE(root, nullptr) << "run under vmssim";
  {
    std::ifstream in(VMSSIM_SOURCE_DIR "/help/SUPERVISOR.HLP");
    std::ofstream out(std::string(root) + "/disk/help/SUPERVISOR.HLP");
    out << in.rdbuf();
  }
  static $DESCRIPTOR(library, "SYS$HELP:SUPERVISOR");
  static $DESCRIPTOR(topic, "SUPERVISOR STOP");
  static $DESCRIPTOR(bogus, "SUPERVISOR BOGUS_TOPIC_NAME");
  static $DESCRIPTOR(nolib, "SYS$HELP:NO_SUCH_LIBRARY");
  static unsigned int width = 0, flags = HLP$M_PROCESS | HLP$M_GROUP | HLP$M_SYSTEM | HLP$M_HELP;
  auto out = reinterpret_cast<int (*)(...)>(collect);

  g_lines.clear();
  ASSERT_EQ(lbr$output_help(out, &width, &topic, &library, &flags, nullptr), SS$_NORMAL);
  EXPECT_TRUE(has("SUPERVISOR"));
  EXPECT_TRUE(has("  STOP"));
  EXPECT_TRUE(has("  Additional information available:"));

  g_lines.clear();
  ASSERT_EQ(lbr$output_help(out, &width, &bogus, &library, &flags, nullptr), SS$_NORMAL);
  EXPECT_TRUE(has("Sorry, no documentation on SUPERVISOR BOGUS_TOPIC_NAME"));

  g_lines.clear();
  EXPECT_EQ(lbr$output_help(out, &width, &topic, &nolib, &flags, nullptr), RMS$_FNF);
  EXPECT_TRUE(g_lines.empty());
}

}  // namespace
