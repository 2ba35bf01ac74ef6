#pragma once
// The labs of the course, one file each (LabNN<Name>.cpp); Course.cpp lists them in order.
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course {

const LabDefinition& lab01Eavesdropping();  // Lab01Eavesdropping.cpp
const LabDefinition& lab02Tampering();      // Lab02Tampering.cpp
const LabDefinition& lab03Mitm();           // Lab03Mitm.cpp (real clients: RealClients.cpp)
const LabDefinition& lab04FirstClient();    // Lab04FirstClient.cpp
const LabDefinition& lab05BeingACa();       // Lab05BeingACa.cpp
const LabDefinition& lab06HostCheck();      // Lab06HostCheck.cpp
const LabDefinition& lab07Server();         // Lab07Server.cpp

}  // namespace tlslab::course
